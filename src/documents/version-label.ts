import { AppError } from '../shared/errors.js';

export type VersionNumber = { major: number; minor: number };

export const versionLabel = ({ major, minor }: VersionNumber) => `${major}.${minor}`;

export const versionLabelPattern = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

/** "1.2" → { major: 1, minor: 2 }, or a 400 naming where the label came from. */
export function parseVersionLabel(label: string, path: string): VersionNumber {
  const match = versionLabelPattern.exec(label);
  if (!match)
    throw new AppError('validation_failed', 'document.bad_version', `${label} is not a version such as 1.2.`, [
      { path, message: 'is not a version such as 1.2' },
    ]);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** A major version starts the next whole number (1.3 → 2.0); a minor one counts up (1.3 → 1.4). */
export const nextVersion = (current: VersionNumber, major: boolean): VersionNumber =>
  major ? { major: current.major + 1, minor: 0 } : { major: current.major, minor: current.minor + 1 };
