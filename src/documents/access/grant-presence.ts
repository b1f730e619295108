import { sql } from 'drizzle-orm';
import { rows, type Database, type Executor, type Storage } from '../../db/database.js';
import { documentGrants } from '../documents.tables.js';

/** Where a change to folder or document grants is announced, to every process. */
export const GRANTS_CHANNEL = 'tidings_document_grants';

export type GrantPresence = ReturnType<typeof createGrantPresence>;

/**
 * Whether any folder or document grant exists, known in this process: while none does (most
 * installations) lists, search and exports add no access condition at all, which PostgreSQL would
 * otherwise plan on every query (tens of milliseconds a search under load). "None" is believed only
 * while other processes' changes can be heard and from a read no change overlapped; a grant written
 * here counts at once, one written elsewhere when its NOTIFY arrives, right after its commit.
 */
export function createGrantPresence({ db, listen }: { db: Database; listen: Storage['listen'] }) {
  let known: 'none' | 'some' | undefined;
  let listening = false;
  let checking = false;
  let stopListening: (() => Promise<void>) | undefined;
  /** Moves on every change: a read that overlapped one may have missed it and is not kept. */
  let generation = 0;

  function forget() {
    generation++;
    known = undefined;
  }

  async function check() {
    checking = true;
    const before = generation;
    try {
      const [row] = await rows<{ some: boolean }>(db, sql`select exists (select 1 from ${documentGrants}) as some`);
      if (listening && before === generation) known = row?.some ? 'some' : 'none';
    } catch {
      // Unknown stays unknown: the full condition is used until a later read succeeds.
    } finally {
      checking = false;
    }
  }

  function startListening() {
    stopListening ??= listen(GRANTS_CHANNEL, forget, (now) => {
      forget();
      listening = now;
    });
  }

  return {
    /** True only when this process knows that no grant exists anywhere; finding out starts on the first ask. */
    noneAnywhere(): boolean {
      startListening();
      if (known === undefined && listening && !checking) void check();
      return known === 'none';
    },

    /** Announces, in the transaction that writes grants, that they changed; every process reads again. */
    async changed(tx: Executor) {
      forget();
      await tx.execute(sql`select pg_notify(${GRANTS_CHANNEL}, '')`);
    },

    async close() {
      listening = false;
      known = undefined;
      await stopListening?.();
    },
  };
}
