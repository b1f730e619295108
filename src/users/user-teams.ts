import { sql, type Column, type Table } from 'drizzle-orm';
import { teamMembers, teams, users } from './users.tables.js';

/** A column named with its table: Drizzle leaves columns unqualified in a one-table select. */
const qualified = (table: Table, column: Column) => sql`${table}.${sql.identifier(column.name)}`;

/**
 * Each selected user's teams by name, as a JSON array in the same statement: a column for any
 * select that reads `users`, alone or joined (the staff list, and the principal of a session or token).
 */
export const teamsOfUser = sql<{ id: string; name: string }[]>`coalesce((
  select json_agg(json_build_object('id', ${qualified(teams, teams.id)}, 'name', ${qualified(teams, teams.name)})
    order by ${qualified(teams, teams.name)})
  from ${teamMembers} join ${teams} on ${qualified(teams, teams.id)} = ${qualified(teamMembers, teamMembers.teamId)}
  where ${qualified(teamMembers, teamMembers.userId)} = ${qualified(users, users.id)}), '[]'::json)`;
