import { sql } from 'drizzle-orm';
import { rows, type Database } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { KpiDefinition } from './kpi-definition.js';
import { DAY_MS, EARLIEST, floorDay, isoDate, valueFacts } from './kpi-query.js';
import { kpiDefinitions } from './kpi-registry.js';
import { kpiDaily, kpiRollups } from './kpi-rollup.tables.js';

/**
 * Closed days this recent are summed again at every refresh: late bounces, receipts, complaints,
 * reopened tickets and opt-outs (14 days after a marketing send) still change them.
 */
export const SETTLING_DAYS = 35;
/** A change committed while the last refresh read may carry an earlier time than its start: look back this much more. */
const TOUCHED_MARGIN_MS = 5 * 60_000;

export type KpiRollup = ReturnType<typeof createKpiRollup>;

/**
 * Keeps the daily rollup of every KPI: each day before today summed from the same facts the live
 * query reads. The first refresh of a day rebuilds everything (so that what no timestamp shows, a
 * deleted record or a ticket linked to another communication, is caught within a day); the others
 * sum again the settling days and any older day whose communications or tickets changed since.
 */
export function createKpiRollup({ db, clock }: { db: Database; clock: Clock }) {
  /** The first day a change since `since` can have moved a fact of: a record counts on days from its making to its change. */
  async function earliestTouched(since: Date): Promise<Date | null> {
    const at = sql`${new Date(since.getTime() - TOUCHED_MARGIN_MS).toISOString()}::timestamptz`;
    const [found] = await rows<{ earliest: string | null }>(
      db,
      sql`select least(
          (select min(c.created_at) from communications c where c.updated_at >= ${at}),
          (select min(least(t.created_at, c.created_at)) from tickets t
            left join communications c on c.id = t.communication_id where t.updated_at >= ${at})
        )::text as earliest`,
    );
    return found?.earliest ? new Date(found.earliest) : null;
  }

  async function sumDays(definition: KpiDefinition, from: Date, today: Date, refreshedAt: Date) {
    await db.transaction(async (tx) => {
      // Two refreshes at once (the job and a manual one) would each keep the rows the other inserted.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`kpi_rollup:${definition.key}`}))`);
      await tx.execute(sql`delete from ${kpiDaily} where kpi = ${definition.key} and day >= ${isoDate(from)}::date`);
      await tx.execute(sql`
        insert into ${kpiDaily} (kpi, day, grp, channel, template_id, template_version_id, purpose, batch_run_id,
          queue_id, num, den)
        select ${definition.key}, (f.at at time zone 'UTC')::date, f.grp, f.channel, f.template_id, f.template_version_id,
          f.purpose, f.batch_run_id, f.queue_id, sum(f.num), sum(f.den)
        from (${valueFacts(definition, {}, { from, to: today })}) f
        group by 2, 3, 4, 5, 6, 7, 8, 9`);
      await tx
        .insert(kpiRollups)
        .values({ kpi: definition.key, before: isoDate(today), refreshedAt })
        .onConflictDoUpdate({ target: kpiRollups.kpi, set: { before: isoDate(today), refreshedAt } });
    });
  }

  return {
    /** Sums the days that may have changed into the rollup; returns the first day summed again per KPI. */
    async refresh(): Promise<{ kpi: string; from: string; to: string }[]> {
      const refreshedAt = clock.now();
      const today = floorDay(refreshedAt);
      const states = new Map((await db.select().from(kpiRollups)).map((state) => [state.kpi, state]));
      const current = [...states.values()].filter((state) => state.before === isoDate(today));
      const since = current.length ? new Date(Math.min(...current.map((state) => state.refreshedAt.getTime()))) : null;
      const touched = since ? await earliestTouched(since) : null;
      const settling = new Date(today.getTime() - SETTLING_DAYS * DAY_MS);
      const recent = touched && touched < settling ? floorDay(touched) : settling;
      const summed: { kpi: string; from: string; to: string }[] = [];
      for (const definition of kpiDefinitions) {
        const from = states.get(definition.key)?.before === isoDate(today) ? recent : EARLIEST;
        await sumDays(definition, from, today, refreshedAt);
        summed.push({ kpi: definition.key, from: isoDate(from), to: isoDate(today) });
      }
      return summed;
    },
  };
}
