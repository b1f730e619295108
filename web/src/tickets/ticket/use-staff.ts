import { permissions } from '../../../../src/auth/policy.js';
import { useSignedInUser } from '../../auth/session.js';
import { may } from '../../ui/permissions.js';
import { useEveryPage } from '../../ui/use-api-data.js';
import { ticketsApi, type StaffMember } from '../tickets.api.js';

/** Someone a ticket can be assigned to or a note can mention. */
export type Colleague = { id: string; name: string };

const worksTickets = (member: StaffMember) =>
  member.active && member.roles.some((role) => (permissions['tickets.work'] as readonly string[]).includes(role));

/**
 * The staff who work tickets, for the assignee choice and @mentions. Only roles that may read the
 * staff list (`users.read`) get all of them; anyone else knows themselves and who the ticket names.
 */
export function useColleagues(known: readonly (Colleague | null)[]): Colleague[] {
  const user = useSignedInUser();
  const staff = useEveryPage<'users', StaffMember>(may(user, 'users.read') ? ticketsApi.staffPath : null, 'users');
  const all = [
    ...(staff.items?.filter(worksTickets) ?? []),
    { id: user.id, name: user.name },
    ...known.filter((colleague): colleague is Colleague => colleague !== null),
  ];
  return all
    .filter((colleague, index) => all.findIndex((other) => other.id === colleague.id) === index)
    .map(({ id, name }) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
