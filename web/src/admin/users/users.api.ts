import { api } from '../../api/client.js';
import type { StaffUser } from '../../auth/auth.api.js';
import type { Role } from '../../auth/roles.js';

export type NewUser = { email: string; name: string; password: string; roles: Role[] };
export type UserChange = { name?: string; roles?: Role[]; active?: boolean; password?: string };

export const usersApi = {
  listPath: '/api/users',
  create: (user: NewUser) => api.post<StaffUser>('/api/users', user),
  update: (id: string, change: UserChange) => api.patch<StaffUser>(`/api/users/${id}`, change),
};
