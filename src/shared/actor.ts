import type { Role } from '../auth/roles.js';

/** Who is acting: a signed-in staff user (by session or API token) or Tidings itself. */
export type Actor =
  | { kind: 'user'; userId: string; email: string; roles: readonly Role[]; via: 'session' | 'token' | 'cli' }
  | { kind: 'system'; label: string };

export const systemActor = (label = 'system'): Actor => ({ kind: 'system', label });

export const actorLabel = (actor: Actor) => (actor.kind === 'user' ? actor.email : actor.label);
