import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import type { AccessLevel } from '../../src/documents/documents.tables.js';
import { resolveAccess, type Grant } from '../../src/documents/access/access-levels.js';
import type { Actor } from '../../src/shared/actor.js';

const userId = '00000000-0000-4000-8000-000000000001';
const teamId = '00000000-0000-4000-8000-0000000000aa';
const otherTeam = '00000000-0000-4000-8000-0000000000bb';

const actorWith = (roles: Role[]): Actor => ({ kind: 'user', userId, email: 'u@example.test', roles, via: 'session' });
const subjects = (roles: Role[]) => ({ userId, teamIds: [teamId], roles });

const user = (level: AccessLevel, id = userId): Grant => ({ subjectType: 'user', subjectId: id, level });
const team = (level: AccessLevel, id = teamId): Grant => ({ subjectType: 'team', subjectId: id, level });
const role = (name: Role, level: AccessLevel): Grant => ({ subjectType: 'role', subjectId: name, level });

/** Each chain lists the grants on the node itself first, then on each folder above it. */
const cases: { name: string; roles: Role[]; chain: Grant[][]; expected: AccessLevel }[] = [
  {
    name: 'no grant anywhere: the role policy decides (viewer)',
    roles: ['viewer'],
    chain: [[], [], []],
    expected: 'read',
  },
  { name: 'no grant anywhere: the role policy decides (agent)', roles: ['agent'], chain: [[]], expected: 'write' },
  { name: 'no grant anywhere: records manager manages', roles: ['records_manager'], chain: [[]], expected: 'manage' },
  {
    name: 'admins always manage, grants or not',
    roles: ['admin'],
    chain: [[user('none')], [role('admin', 'none')]],
    expected: 'manage',
  },
  {
    name: 'a grant for someone else shuts the rest out',
    roles: ['agent'],
    chain: [[], [user('write', otherTeam)]],
    expected: 'none',
  },
  {
    name: 'inherited from a folder two levels up',
    roles: ['agent'],
    chain: [[], [], [team('write')]],
    expected: 'write',
  },
  {
    name: 'a nearer grant replaces a farther one for the subject',
    roles: ['agent'],
    chain: [[], [team('read')], [team('write')]],
    expected: 'read',
  },
  {
    name: 'a nearer none shuts the subject out below',
    roles: ['agent'],
    chain: [[role('agent', 'none')], [role('agent', 'write')]],
    expected: 'none',
  },
  {
    name: 'different subjects add up: the best one wins',
    roles: ['agent'],
    chain: [[role('agent', 'read')], [user('write')]],
    expected: 'write',
  },
  { name: 'a team grant reaches its members', roles: ['viewer'], chain: [[team('read')]], expected: 'read' },
  { name: "another team's grant does not", roles: ['viewer'], chain: [[team('read', otherTeam)]], expected: 'none' },
  {
    name: 'a role grant reaches its holders',
    roles: ['author', 'viewer'],
    chain: [[], [role('viewer', 'read')]],
    expected: 'read',
  },
  {
    name: 'the role policy is the ceiling: a viewer granted manage reads',
    roles: ['viewer'],
    chain: [[user('manage')]],
    expected: 'read',
  },
  {
    name: 'the ceiling: an agent granted manage writes',
    roles: ['agent'],
    chain: [[user('manage')]],
    expected: 'write',
  },
  {
    name: 'a records manager granted manage manages',
    roles: ['records_manager'],
    chain: [[], [user('manage')]],
    expected: 'manage',
  },
  {
    name: 'a records manager not named gets nothing',
    roles: ['records_manager'],
    chain: [[team('read', otherTeam)]],
    expected: 'none',
  },
];

describe('resolving access from a chain of grants', () => {
  it.each(cases)('$name', ({ roles, chain, expected }) => {
    expect(resolveAccess(actorWith(roles), subjects(roles), chain)).toBe(expected);
  });

  it('lets Tidings itself do anything', () => {
    expect(resolveAccess({ kind: 'system', label: 'job' }, null, [[user('none')]])).toBe('manage');
  });
});
