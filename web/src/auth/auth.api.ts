import type { BodyOf, ResponseOf } from '../api/api-types.js';
import { api } from '../api/client.js';

export type Session = ResponseOf<'/api/me'>;
export type StaffUser = Session['user'];

export const authApi = {
  me: () => api.get<Session>('/api/me'),
  login: (credentials: BodyOf<'/api/auth/login', 'post'>) => api.post<Session>('/api/auth/login', credentials),
  logout: () => api.post<void>('/api/auth/logout'),
  changePassword: (change: BodyOf<'/api/me/password', 'post'>) => api.post<void>('/api/me/password', change),
};
