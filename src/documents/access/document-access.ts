import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../shared/actor.js';
import { teamMembers } from '../../users/users.tables.js';
import { documentFolders, documentGrants, documents, type AccessLevel } from '../documents.tables.js';
import { atLeast, isAdministrator, levelRank, roleCeiling } from './access-levels.js';
import type { GrantPresence } from './grant-presence.js';

/*
 * The rules of access-levels.ts as an SQL condition, so lists, search, WebDAV and exports filter in
 * the query. The common case stays cheap: with no grant anywhere (known to the process, see
 * grant-presence.ts) the roles alone decide and no condition is added; a document without grants of its own is judged by its folder against two sets the database
 * builds once per query; only a document carrying grants of its own walks up its folders.
 */

/** 1-based rank for SQL's array_position, equal to levelRank + 1. */
const rankOf = (level: SQL) => sql`array_position(array['none','read','write','manage']::text[], ${level})`;

/** True when the grant row aliased `g` names this user, one of their teams or one of their roles. */
function namesActor(actor: Actor & { kind: 'user' }, g: SQL) {
  const roles =
    actor.roles.length > 0
      ? sql.join(
          actor.roles.map((role) => sql`${role}`),
          sql`, `,
        )
      : sql`null`;
  return sql`(
    (${g}.subject_type = 'user' and ${g}.subject_id = ${actor.userId})
    or (${g}.subject_type = 'role' and ${g}.subject_id in (${roles}))
    or (${g}.subject_type = 'team' and ${g}.subject_id in (
      select ${teamMembers.teamId}::text from ${teamMembers} where ${teamMembers.userId} = ${actor.userId})))`;
}

/** Folders at or below a folder that carries a grant: there the grants decide, not the role policy. */
const governedFolders = () => sql`(
  with recursive governed(folder_id) as (
    select folder_id from ${documentGrants} where folder_id is not null
    union
    select f.id from ${documentFolders} f join governed on f.parent_id = governed.folder_id
  )
  select folder_id from governed)`;

/** Folders where, for some subject of the actor, the nearest folder grant reaches `wanted`. */
function grantedFolders(actor: Actor & { kind: 'user' }, wanted: AccessLevel) {
  return sql`(
    with recursive reach(folder_id, grant_id, depth) as (
      select g.folder_id, g.id, 0 from ${documentGrants} g
      where g.folder_id is not null and ${namesActor(actor, sql`g`)}
      union all
      select f.id, reach.grant_id, reach.depth + 1 from ${documentFolders} f join reach on f.parent_id = reach.folder_id
    )
    select nearest.folder_id from (
      select distinct on (reach.folder_id, g.subject_type, g.subject_id) reach.folder_id, g.level
      from reach join ${documentGrants} g on g.id = reach.grant_id
      order by reach.folder_id, g.subject_type, g.subject_id, reach.depth
    ) nearest
    where ${rankOf(sql`nearest.level`)} >= ${levelRank(wanted) + 1})`;
}

/** For a document with grants of its own: the nearest grant per subject of the actor, up the tree. */
function reachedThroughOwnGrants(actor: Actor & { kind: 'user' }, wanted: AccessLevel) {
  return sql`exists (
    with recursive up(folder_id, depth) as (
      select ad.folder_id, 1
      union all
      select f.parent_id, up.depth + 1 from ${documentFolders} f join up on f.id = up.folder_id
      where f.parent_id is not null
    )
    select 1 from (
      select distinct on (g.subject_type, g.subject_id) g.level
      from (
        select subject_type, subject_id, level, 0 as depth from ${documentGrants} where document_id = ad.id
        union all
        select dg.subject_type, dg.subject_id, dg.level, up.depth
        from ${documentGrants} dg join up on dg.folder_id = up.folder_id
      ) g
      where ${namesActor(actor, sql`g`)}
      order by g.subject_type, g.subject_id, g.depth
    ) nearest
    where ${rankOf(sql`nearest.level`)} >= ${levelRank(wanted) + 1})`;
}

/** True when the actor may act at `wanted` level on the document with this id. */
export function documentAccess(
  actor: Actor,
  documentId: AnyPgColumn | SQL,
  wanted: AccessLevel,
  grants: GrantPresence,
): SQL {
  if (isAdministrator(actor)) return sql`true`;
  if (!atLeast(roleCeiling(actor), wanted)) return sql`false`;
  if (grants.noneAnywhere()) return sql`true`;
  const user = actor as Actor & { kind: 'user' };
  return sql`(
    not exists (select 1 from ${documentGrants})
    or exists (
      select 1 from ${documents} ad where ad.id = ${documentId} and (
        case when exists (select 1 from ${documentGrants} own where own.document_id = ad.id)
          then ${reachedThroughOwnGrants(user, wanted)}
          else ad.folder_id not in ${governedFolders()} or ad.folder_id in ${grantedFolders(user, wanted)}
        end)))`;
}

/** True when the actor may read the document with this id: what every list, search and export shows. */
export function readableDocuments(actor: Actor, documentId: AnyPgColumn | SQL, grants: GrantPresence): SQL {
  return documentAccess(actor, documentId, 'read', grants);
}
