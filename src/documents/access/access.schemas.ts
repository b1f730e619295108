import { z } from 'zod';
import { roles } from '../../auth/roles.js';
import { accessLevels, accessSubjectTypes } from '../documents.tables.js';

const subjectType = z.enum(accessSubjectTypes).describe('A user, every member of a team, or everyone holding a role');
const level = z
  .enum(accessLevels)
  .describe('read < write < manage; none shuts the subject out below a folder that lets it in');

const grantInput = z
  .strictObject({
    subjectType,
    subjectId: z.string().trim().min(1).max(100).describe("A user's or team's id, or a role's name"),
    level,
  })
  .superRefine((grant, context) => {
    const valid =
      grant.subjectType === 'role'
        ? (roles as readonly string[]).includes(grant.subjectId)
        : z.uuid().safeParse(grant.subjectId).success;
    if (!valid)
      context.addIssue({
        code: 'custom',
        path: ['subjectId'],
        message: grant.subjectType === 'role' ? `must be one of ${roles.join(', ')}` : 'must be an id',
      });
  });

export const setPermissionsBody = z
  .strictObject({
    grants: z
      .array(grantInput)
      .max(200)
      .describe("This folder's or document's own grants, all of them: they replace what was there"),
  })
  .superRefine((body, context) => {
    const seen = new Set<string>();
    body.grants.forEach((grant, index) => {
      const key = `${grant.subjectType}:${grant.subjectId}`;
      if (seen.has(key))
        context.addIssue({ code: 'custom', path: ['grants', index], message: 'names a subject already granted' });
      seen.add(key);
    });
  });
export type SetPermissionsInput = z.infer<typeof setPermissionsBody>;

const grantResponse = z.object({
  subjectType,
  subjectId: z.string(),
  subjectName: z.string().describe("The user's or team's name, or the role"),
  level,
});

const source = z.object({ kind: z.enum(['document', 'folder']), id: z.uuid(), name: z.string() });

export const permissionsResponse = z
  .object({
    level: level.describe('What the caller may do here'),
    governed: z.boolean().describe('False when no grant applies here or above: the role policy alone decides'),
    grants: z.array(grantResponse).describe('Grants on this folder or document itself'),
    inherited: z
      .array(
        grantResponse.extend({
          from: source.describe('The folder the grant is on'),
          overridden: z.boolean().describe('A grant here for the same subject replaces it'),
        }),
      )
      .describe('For each subject, the grant nearest above'),
    candidates: z
      .object({
        users: z.array(z.object({ id: z.uuid(), name: z.string() })),
        teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
        roles: z.array(z.enum(roles)),
      })
      .nullable()
      .describe('Whom a grant may name; only for those who may manage the permissions'),
  })
  .describe('Permissions');
