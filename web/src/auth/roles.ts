import { roles, type Role } from '../../../src/auth/roles.js';

import { labelsOf } from '../ui/vocabulary.js';

export { roles, type Role };

export const roleLabels: Record<Role, string> = labelsOf(roles);
