import { api } from '../../api/client.js';

export type Team = {
  id: string;
  name: string;
  description: string;
  members: { id: string; name: string; email: string }[];
  createdAt: string;
};

export type TeamInput = { name: string; description: string; memberIds: string[] };

export const teamsApi = {
  listPath: '/api/teams',
  create: (team: TeamInput) => api.post<Team>('/api/teams', team),
  update: (id: string, change: Partial<TeamInput>) => api.patch<Team>(`/api/teams/${id}`, change),
  remove: (id: string) => api.delete(`/api/teams/${id}`),
};
