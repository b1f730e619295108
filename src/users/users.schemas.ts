import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { roles } from '../auth/roles.js';
import { cursorParam, nextCursor } from '../http/schemas.js';
import { teams, users } from './users.tables.js';

export const roleSchema = z.enum(roles);

const password = z.string().min(10, 'must be at least 10 characters').max(200);

// Response shapes are picked from the tables, so a column's type is written once and a column no
// schema picks (a password hash) cannot leave the server.
const userColumns = createSelectSchema(users);
const teamColumns = createSelectSchema(teams);

export const userResponse = userColumns
  .pick({ id: true, email: true, name: true, active: true, createdAt: true, updatedAt: true })
  .extend({ roles: z.array(roleSchema), teams: z.array(teamColumns.pick({ id: true, name: true })) })
  .describe('User');

// Staff lists are short and the web app's pickers read one page as the whole staff: a page holds
// up to 500 by default, where other lists hold 50.
export const listUsersQuery = z.strictObject({
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(500).default(500),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const usersPage = z.object({ users: z.array(userResponse), nextCursor });

export const createUserBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  password,
  roles: z.array(roleSchema).min(1, 'give the user at least one role'),
});

export const updateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  roles: z.array(roleSchema).min(1, 'give the user at least one role').optional(),
  active: z.boolean().optional(),
  password: password.optional().describe('Sets a new password and signs the user out everywhere'),
});

export const teamResponse = teamColumns
  .pick({ id: true, name: true, description: true, createdAt: true })
  .extend({ members: z.array(userColumns.pick({ id: true, name: true, email: true })) })
  .describe('Team');

export const teamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});

export const passwordSchema = password;
