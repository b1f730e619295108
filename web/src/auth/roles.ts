import { roles, type Role } from '../../../src/auth/roles.js';

export { roles, type Role };

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  author: 'Author',
  reviewer: 'Reviewer',
  agent: 'Agent',
  records_manager: 'Records manager',
  viewer: 'Viewer',
};
