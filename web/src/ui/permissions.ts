import { permissions, type Permission } from '../../../src/auth/policy.js';
import type { StaffUser } from '../auth/auth.api.js';
import type { Role } from '../auth/roles.js';

/** Whether the server's policy lets this user do it: buttons for what would only be refused stay hidden. */
export function may(user: StaffUser, permission: Permission): boolean {
  const allowed: readonly Role[] = permissions[permission];
  return user.roles.some((role) => allowed.includes(role));
}
