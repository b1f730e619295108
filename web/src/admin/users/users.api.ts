import type { BodyOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';
import type { StaffUser } from '../../auth/auth.api.js';

export type NewUser = BodyOf<'/api/users', 'post'>;
export type UserChange = BodyOf<'/api/users/{id}', 'patch'>;

export const usersApi = {
  listPath: '/api/users',
  create: (user: NewUser) => api.post<StaffUser>('/api/users', user),
  update: (id: string, change: UserChange) => api.patch<StaffUser>(`/api/users/${id}`, change),
};
