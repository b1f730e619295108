export const roles = ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'] as const;

export type Role = (typeof roles)[number];
