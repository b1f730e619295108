import type { Folder } from './documents.api.js';

/** The WebDAV address of a folder (or of the whole share), as a desktop mounts it. */
export function networkDriveUrl(folders: readonly Folder[], folderId: string | null) {
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const names: string[] = [];
  for (
    let folder = folderId ? byId.get(folderId) : undefined;
    folder;
    folder = folder.parentId ? byId.get(folder.parentId) : undefined
  )
    names.unshift(folder.name);
  return `${window.location.origin}/dav/${names.map((name) => `${encodeURIComponent(name)}/`).join('')}`;
}

/** Where to mount the chosen folder: sign in with your email and an API token. */
export function NetworkDriveHint({ folders, folderId }: { folders: readonly Folder[]; folderId: string | null }) {
  const url = networkDriveUrl(folders, folderId);
  return (
    <p className="muted network-drive">
      Open as network drive: <code>{url}</code>
      <br />
      Sign in with your email and an API token.
    </p>
  );
}
