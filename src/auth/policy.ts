import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import type { Role } from './roles.js';

/** Which roles may do what. Services ask here before they act; nothing else grants access. */
export const permissions = {
  'users.read': ['admin', 'manager'],
  'users.manage': ['admin'],
  'teams.manage': ['admin'],
  'tokens.manage_all': ['admin'],
  'audit.read': ['admin', 'records_manager'],
  'jobs.read': ['admin'],
  'jobs.manage': ['admin'],
  'customers.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'customers.write': ['admin', 'manager', 'agent'],
  'customers.import': ['admin', 'manager'],
  'customers.export': ['admin', 'manager'],
  'customers.merge': ['admin', 'manager', 'agent'],
  'customers.attributes': ['admin'],
  'segments.manage': ['admin', 'manager', 'author'],
  'templates.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'templates.author': ['admin', 'manager', 'author'],
  // A version not yet published is for those who write it and those who review it; everyone else sees published text.
  'templates.preview_unpublished': ['admin', 'manager', 'author', 'reviewer'],
  'templates.review': ['admin', 'reviewer'],
  'templates.publish': ['admin', 'reviewer', 'author'],
  'templates.comment': ['admin', 'manager', 'author', 'reviewer'],
  'compliance.manage': ['admin'],
  'brand.manage': ['admin', 'manager'],
  'communications.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  // The exact copy and the proof ZIP hold everything a customer was sent and the data behind it.
  'communications.copies': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager'],
  'communications.send': ['admin', 'manager', 'agent', 'author'],
  'runs.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'runs.manage': ['admin', 'manager', 'author'],
  'print_batches.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  // The merged letters and the manifest: every recipient's letter and postal address at once.
  'print_batches.download': ['admin', 'manager', 'author', 'records_manager'],
  'delivery.receipts': ['admin'],
  'tickets.read': ['admin', 'manager', 'agent', 'records_manager', 'viewer'],
  'tickets.work': ['admin', 'manager', 'agent'],
  'tickets.queues': ['admin', 'manager'],
  // Who wrote to the support address and what became of it: those who work the tickets it makes.
  'inbound.read': ['admin', 'manager', 'agent'],
  'canned_responses.read': ['admin', 'manager', 'agent'],
  'canned_responses.manage': ['admin', 'manager'],
  'sla.manage': ['admin', 'manager'],
  'knowledge.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  // Saving is publishing for a published article: readers see the current version.
  'knowledge.write': ['admin', 'manager', 'agent'],
  'knowledge.categories': ['admin', 'manager'],
  'documents.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'documents.write': ['admin', 'manager', 'author', 'agent', 'records_manager'],
  // Breaking another's lock and deleting a document: those who answer for the repository.
  'documents.manage': ['admin', 'records_manager'],
  // Record categories, retention, declarations and disposition; holds and what they cover.
  'records.read': ['admin', 'records_manager'],
  'records.manage': ['admin', 'records_manager'],
  'holds.manage': ['admin', 'records_manager'],
  // Everything about a matter in one ZIP: files, copies, conversations and their audit events.
  'ediscovery.export': ['admin', 'records_manager'],
  // Document types and their metadata fields: those who answer for the repository.
  'documents.types': ['admin', 'records_manager'],
  // Approving or rejecting a document version someone else wrote, when asked by name or by role.
  'documents.review': ['admin', 'manager', 'reviewer', 'records_manager'],
  // Paper answers: those who work the tickets they open and those who keep the records they become.
  'scans.read': ['admin', 'manager', 'agent', 'records_manager'],
  'scans.file': ['admin', 'manager', 'agent', 'records_manager'],
  // KPIs and goals are for everyone on staff to see; setting a goal is for those who answer for one.
  'insights.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'goals.manage': ['admin', 'manager'],
  // Change announcements are for everyone on staff to read and acknowledge; publishing one (and its customer mailing) is for managers.
  'announcements.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'announcements.manage': ['admin', 'manager'],
  // Any employee proposes a change to how work is done and votes; owners of how work is done decide on it.
  'suggestions.read': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'suggestions.propose': ['admin', 'manager', 'author', 'reviewer', 'agent', 'records_manager', 'viewer'],
  'suggestions.manage': ['admin', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  const allowed: readonly Role[] = permissions[permission];
  return actor.roles.some((role) => allowed.includes(role));
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new AppError('forbidden', 'auth.forbidden', `You do not have permission to ${permission.replace('.', ' ')}.`);
  }
}
