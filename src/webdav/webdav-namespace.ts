import type { DocumentsService } from '../documents/documents.service.js';
import type { DocumentFoldersService } from '../documents/folders.service.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';

export const DAV_PREFIX = '/dav';

export type FolderEntry = { id: string; name: string; parentId: string | null };
export type DocumentEntry = Awaited<ReturnType<DocumentsService['list']>>['documents'][number];

/** A place in the share: the root, a folder (collection), a document (resource), or a name nothing has yet. */
export type Resource =
  | { kind: 'root'; href: string }
  | { kind: 'folder'; folder: FolderEntry; href: string }
  | { kind: 'document'; document: DocumentEntry; name: string; href: string }
  | { kind: 'missing'; name: string; href: string; parent: Container | null };

/** What can hold members. */
export type Container = Extract<Resource, { kind: 'root' | 'folder' }>;

export type Member = Exclude<Resource, { kind: 'root' | 'missing' }>;

/** The id of the folder or document a member is. */
export const memberId = (member: Member) => (member.kind === 'folder' ? member.folder.id : member.document.id);

/**
 * The URL path after /dav/ as names. Each segment is decoded on its own, so a name may hold a
 * slash (%2F). A fragment or a segment that does not decode is a 400.
 */
export function segmentsOf(pathname: string): string[] {
  if (pathname.includes('#'))
    throw new AppError('bad_request', 'webdav.fragment', 'A WebDAV request names no fragment (#).');
  const rest = pathname.slice(DAV_PREFIX.length).split('/').filter(Boolean);
  try {
    return rest.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new AppError('bad_request', 'webdav.bad_path', `The path ${pathname} is not valid percent-encoding.`);
  }
}

export const hrefOf = (names: string[], collection: boolean) =>
  `${DAV_PREFIX}/${names.map((name) => encodeURIComponent(name)).join('/')}${collection && names.length ? '/' : ''}`;

/** A document's name in its folder: its title, unless a folder or an older document there has it. */
function uniqueName(document: DocumentEntry, taken: Set<string>) {
  if (!taken.has(document.title)) return document.title;
  const dot = document.title.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [document.title.slice(0, dot), document.title.slice(dot)] : [document.title, ''];
  return `${stem} (${document.id.slice(0, 8)})${extension}`;
}

/**
 * The repository as a tree of names, read through the folders and documents services (so it shows
 * what the actor may read). Made per request: it caches the folder tree and folder listings it reads.
 */
export function createNamespace(
  actor: Actor,
  services: { folders: Pick<DocumentFoldersService, 'list'>; documents: Pick<DocumentsService, 'list'> },
) {
  let tree: Promise<FolderEntry[]> | undefined;
  const listings = new Map<string, Promise<DocumentEntry[]>>();

  const folders = () => (tree ??= services.folders.list(actor));

  async function documentsIn(folderId: string) {
    let listing = listings.get(folderId);
    if (!listing) {
      listing = (async () => {
        const all: DocumentEntry[] = [];
        let cursor: string | undefined;
        do {
          const page = await services.documents.list(actor, { folderId, limit: 500, cursor });
          all.push(...page.documents);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
      })();
      listings.set(folderId, listing);
    }
    return listing;
  }

  async function pathOf(folderId: string): Promise<string[]> {
    const byId = new Map((await folders()).map((folder) => [folder.id, folder]));
    const names: string[] = [];
    for (let folder = byId.get(folderId); folder; folder = folder.parentId ? byId.get(folder.parentId) : undefined)
      names.unshift(folder.name);
    return names;
  }

  async function subfolders(parentId: string | null) {
    return (await folders()).filter((folder) => folder.parentId === parentId);
  }

  /** The members of a container, folders first, each with its name and href. */
  async function members(container: Container): Promise<Member[]> {
    const parentId = container.kind === 'folder' ? container.folder.id : null;
    const base = container.kind === 'folder' ? await pathOf(container.folder.id) : [];
    const result: Member[] = (await subfolders(parentId)).map((folder) => ({
      kind: 'folder',
      folder,
      href: hrefOf([...base, folder.name], true),
    }));
    if (parentId) {
      const taken = new Set(result.map((member) => (member.kind === 'folder' ? member.folder.name : '')));
      for (const document of await documentsIn(parentId)) {
        const name = uniqueName(document, taken);
        taken.add(name);
        result.push({ kind: 'document', document, name, href: hrefOf([...base, name], false) });
      }
    }
    return result;
  }

  const nameOf = (member: Member) => (member.kind === 'folder' ? member.folder.name : member.name);

  return {
    members,
    nameOf,
    pathOf,
    folders,

    /**
     * What a path names; a missing one knows its parent when that exists. Folders are found by
     * name down the tree; only the last folder's documents are listed, to name the last segment.
     */
    async resolve(names: string[]): Promise<Resource> {
      let current = { kind: 'root', href: hrefOf([], true) } as Container;
      for (const [index, name] of names.entries()) {
        const folder: FolderEntry | undefined = (
          await subfolders(current.kind === 'folder' ? current.folder.id : null)
        ).find((candidate) => candidate.name === name);
        const href = hrefOf(names.slice(0, index + 1), folder !== undefined);
        if (folder) {
          current = { kind: 'folder', folder, href };
          continue;
        }
        const last = index === names.length - 1;
        const document = last ? (await members(current)).find((member) => nameOf(member) === name) : undefined;
        return document ?? { kind: 'missing', name, href, parent: last ? current : null };
      }
      return current;
    },
  };
}

export type Namespace = ReturnType<typeof createNamespace>;
