import { can } from '../../auth/policy.js';
import type { Actor } from '../../shared/actor.js';
import { accessLevels, type AccessLevel, type AccessSubjectType } from '../documents.tables.js';

/**
 * The rules, in one place (document-access.ts says them again in SQL):
 * - Admins (and Tidings itself) manage everything.
 * - For each subject (a user, a team, a role) the grant nearest the document counts: one on the
 *   document, else one on its folder, else on the folder above, up to the root. A nearer grant
 *   replaces a farther one for that subject (`none` shuts it out); grants of different subjects add up.
 * - A document with no grant on itself or any folder above is left to the role policy; once some
 *   grant applies, an actor none of whose subjects is named there gets nothing.
 * - The role policy is the ceiling: a grant never gives more than documents.read/write/manage allow.
 */
export type Grant = { subjectType: AccessSubjectType; subjectId: string; level: AccessLevel };

/** Who the actor is, as grants name subjects. */
export type AccessSubjects = { userId: string; teamIds: readonly string[]; roles: readonly string[] };

export const levelRank = (level: AccessLevel) => accessLevels.indexOf(level);

export const atLeast = (level: AccessLevel, wanted: AccessLevel) => levelRank(level) >= levelRank(wanted);

const lower = (a: AccessLevel, b: AccessLevel) => (levelRank(a) <= levelRank(b) ? a : b);

export const isAdministrator = (actor: Actor) => actor.kind === 'system' || actor.roles.includes('admin');

/** The most the role policy lets the actor do with documents, whatever the grants say. */
export function roleCeiling(actor: Actor): AccessLevel {
  if (can(actor, 'documents.manage')) return 'manage';
  if (can(actor, 'documents.write')) return 'write';
  if (can(actor, 'documents.read')) return 'read';
  return 'none';
}

export function namesSubject(grant: Grant, subjects: AccessSubjects) {
  if (grant.subjectType === 'user') return grant.subjectId === subjects.userId;
  if (grant.subjectType === 'team') return subjects.teamIds.includes(grant.subjectId);
  return subjects.roles.includes(grant.subjectId);
}

const subjectKey = (grant: Grant) => `${grant.subjectType}:${grant.subjectId}`;

/**
 * The grants in force for a node, nearest first per subject: `chain` lists the grants on the node
 * itself first, then on each folder up to the root. Each is marked with the chain index it came from.
 */
export function effectiveGrants<G extends Grant>(chain: readonly (readonly G[])[]) {
  const seen = new Map<string, { grant: G; depth: number }>();
  chain.forEach((grants, depth) => {
    for (const grant of grants) if (!seen.has(subjectKey(grant))) seen.set(subjectKey(grant), { grant, depth });
  });
  return [...seen.values()];
}

/** What the actor may do with the node whose grant chain this is (nearest first). */
export function resolveAccess(
  actor: Actor,
  subjects: AccessSubjects | null,
  chain: readonly (readonly Grant[])[],
): AccessLevel {
  if (isAdministrator(actor)) return 'manage';
  const ceiling = roleCeiling(actor);
  const inForce = effectiveGrants(chain);
  if (inForce.length === 0) return ceiling;
  if (!subjects) return 'none';
  const granted = inForce
    .filter(({ grant }) => namesSubject(grant, subjects))
    .reduce<AccessLevel>((best, { grant }) => (levelRank(grant.level) > levelRank(best) ? grant.level : best), 'none');
  return lower(granted, ceiling);
}
