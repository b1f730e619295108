import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

export type Team = ResponseOf<'/api/teams/{id}', 'patch'>;

export type TeamInput = BodyOf<'/api/teams', 'post'>;

export const teamsApi = {
  listPath: '/api/teams',
  create: (team: TeamInput) => api.post<Team>('/api/teams', team),
  update: (id: string, change: Partial<TeamInput>) => api.patch<Team>(`/api/teams/${id}`, change),
  remove: (id: string) => api.delete(`/api/teams/${id}`),
};
