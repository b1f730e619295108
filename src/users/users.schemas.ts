import { z } from 'zod';
import { roles } from '../auth/roles.js';

export const roleSchema = z.enum(roles);

const password = z.string().min(10, 'must be at least 10 characters').max(200);

export const userResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(roleSchema),
    active: z.boolean(),
    teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('User');

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

export const teamResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    members: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string() })),
    createdAt: z.date(),
  })
  .describe('Team');

export const teamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});

export const passwordSchema = password;
