import { Link } from 'react-router-dom';
import { formatNumber } from '../ui/format.js';
import type { Folder } from './documents.api.js';

type Branch = Folder & { children: Branch[] };

/** The folders as a tree, each level by name; a folder whose parent is gone stands at the top. */
export function treeOf(folders: readonly Folder[]): Branch[] {
  const branches = new Map(folders.map((folder) => [folder.id, { ...folder, children: [] as Branch[] }]));
  const roots: Branch[] = [];
  for (const branch of branches.values()) {
    const parent = branch.parentId === null ? undefined : branches.get(branch.parentId);
    (parent ? parent.children : roots).push(branch);
  }
  const sort = (level: Branch[]) => {
    level.sort((a, b) => a.name.localeCompare(b.name));
    level.forEach((branch) => sort(branch.children));
    return level;
  };
  return sort(roots);
}

/** Each folder with its path of names ("Contracts / 2026"), in tree order, for a folder choice. */
export function folderChoices(folders: readonly Folder[]) {
  const choices: { value: string; label: string }[] = [];
  const walk = (level: Branch[], path: string) =>
    level.forEach((branch) => {
      const label = path ? `${path} / ${branch.name}` : branch.name;
      choices.push({ value: branch.id, label });
      walk(branch.children, label);
    });
  walk(treeOf(folders), '');
  return choices;
}

const folderLink = (id: string | null) => (id ? `/documents?folder=${encodeURIComponent(id)}` : '/documents');

function Level({ branches, selected }: { branches: Branch[]; selected: string | null }) {
  return (
    <ul>
      {branches.map((branch) => (
        <li key={branch.id}>
          <Link
            to={folderLink(branch.id)}
            className={branch.id === selected ? 'folder folder-selected' : 'folder'}
            aria-current={branch.id === selected ? 'page' : undefined}
          >
            <span>{branch.name}</span>
            <span className="muted small">{formatNumber(branch.documentCount)}</span>
          </Link>
          {branch.children.length > 0 && <Level branches={branch.children} selected={selected} />}
        </li>
      ))}
    </ul>
  );
}

/** The folder tree beside the document list: all documents, or one folder's. */
export function FolderTree({ folders, selected }: { folders: readonly Folder[]; selected: string | null }) {
  return (
    <nav className="folder-tree" aria-label="Folders">
      <Link
        to={folderLink(null)}
        className={selected === null ? 'folder folder-selected' : 'folder'}
        aria-current={selected === null ? 'page' : undefined}
      >
        All documents
      </Link>
      <Level branches={treeOf(folders)} selected={selected} />
    </nav>
  );
}
