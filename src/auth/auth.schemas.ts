import { z } from 'zod';
import { passwordSchema, userResponse } from '../users/users.schemas.js';
import { apiTokenScopes } from './auth.tables.js';

const tokenScope = z.enum(apiTokenScopes).describe('read: GET and HEAD only; full: everything its user may do');

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const sessionResponse = z
  .object({
    user: userResponse,
    csrfToken: z
      .string()
      .describe('Send it back as the x-csrf-token header on every write made with the session cookie'),
  })
  .describe('Session');

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordSchema,
});

export const apiTokenResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scope: tokenScope,
    userId: z.uuid(),
    userEmail: z.string(),
    createdAt: z.date(),
    expiresAt: z.date(),
    lastUsedAt: z.date().nullable(),
  })
  .describe('ApiToken');

export const createApiTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: tokenScope.default('full'),
  expiresAt: z.coerce
    .date()
    .optional()
    .describe(
      'When the token stops working: at most TIDINGS_TOKEN_MAX_DAYS (365 by default) from now, which is also the default',
    ),
});

export const createdApiTokenResponse = apiTokenResponse
  .extend({
    secret: z.string().describe('The token itself: shown this once, send it as "Authorization: Bearer <secret>"'),
  })
  .describe('CreatedApiToken');
