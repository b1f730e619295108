import { api } from '../api/client.js';
import type { Role } from './roles.js';

export type StaffUser = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  active: boolean;
  teams: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
};

export type Session = { user: StaffUser; csrfToken: string | null };

export const authApi = {
  me: () => api.get<Session>('/api/me'),
  login: (credentials: { email: string; password: string }) => api.post<Session>('/api/auth/login', credentials),
  logout: () => api.post<void>('/api/auth/logout'),
  changePassword: (change: { currentPassword: string; newPassword: string }) =>
    api.post<void>('/api/me/password', change),
};
