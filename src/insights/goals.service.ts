import { eq, inArray, or, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, inBody, type ErrorDetail } from '../shared/errors.js';
import { teamMembers, teams, users } from '../users/users.tables.js';
import type { CreateGoalInput, UpdateGoalInput } from './goals.schemas.js';
import { goals } from './goals.tables.js';
import type { InsightsService } from './insights.service.js';
import type { KpiBucket } from './kpis/kpi-definition.js';
import { kpiDefinition } from './kpis/kpi-registry.js';

export type GoalRow = typeof goals.$inferSelect;

const DAY = 86_400_000;
/** Ten years of months: a goal's chart stays within a series' buckets. */
const MAX_PERIOD_DAYS = 3660;
const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);

/** A chart of a month shows days, of up to half a year weeks, of longer months. */
export function goalBucket(periodStart: string, periodEnd: string): KpiBucket {
  const days = (dayStart(periodEnd).getTime() - dayStart(periodStart).getTime()) / DAY + 1;
  return days <= 31 ? 'day' : days <= 190 ? 'week' : 'month';
}

/** How far a value is toward a target: a higher-is-better KPI climbs to it, a lower-is-better one must stay under it. */
export function goalFraction(value: number | null, target: number, higherIsBetter: boolean) {
  if (value === null) return { fraction: null, attained: null };
  const attained = higherIsBetter ? value >= target : value <= target;
  const fraction = attained ? 1 : higherIsBetter ? (target > 0 ? value / target : 0) : value > 0 ? target / value : 1;
  return { fraction: Math.max(0, Math.min(1, Math.round(fraction * 10_000) / 10_000)), attained };
}

const refused = (code: string, message: string, problems: ErrorDetail[]) =>
  new AppError('validation_failed', code, message, inBody(problems));

const goalNotFound = (id: string) => new AppError('not_found', 'goals.not_found', `There is no goal ${id}.`);

export type GoalsService = ReturnType<typeof createGoalsService>;

/** Goals on KPIs: everyone on staff reads them with their progress; admins and managers set them. */
export function createGoalsService({
  db,
  audit,
  clock,
  insights,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  insights: Pick<InsightsService, 'series'>;
}) {
  const ownerName = sql<string | null>`coalesce(
    (select ${users.name} from ${users} where ${users.id} = ${goals.ownerUserId}),
    (select ${teams.name} from ${teams} where ${teams.id} = ${goals.ownerTeamId}))`;

  async function progress(actor: Actor, goal: GoalRow) {
    const definition = kpiDefinition(goal.kpiKey);
    const bucket = goalBucket(goal.periodStart, goal.periodEnd);
    const from = dayStart(goal.periodStart);
    const to = new Date(Math.min(dayStart(goal.periodEnd).getTime() + DAY, clock.now().getTime()));
    const base = {
      unit: definition.unit,
      higherIsBetter: definition.higherIsBetter,
      kpiName: definition.name,
      bucket,
    };
    if (to <= from) return { ...base, value: null, fraction: null, attained: null, points: [] };
    const series = await insights.series(actor, goal.kpiKey, { from, to, bucket, filters: goal.filters });
    return {
      ...base,
      value: series.total.value,
      ...goalFraction(series.total.value, goal.target, definition.higherIsBetter),
      points: series.points,
    };
  }

  async function withProgress(actor: Actor, rows: (GoalRow & { ownerName: string | null })[]) {
    return Promise.all(rows.map(async (goal) => ({ ...goal, progress: await progress(actor, goal) })));
  }

  const selectGoals = (executor: Executor) =>
    executor.select({ goal: goals, ownerName }).from(goals).orderBy(goals.periodStart, goals.name, goals.id);

  async function find(executor: Executor, id: string) {
    const [row] = await selectGoals(executor).where(eq(goals.id, id));
    if (!row) throw goalNotFound(id);
    return { ...row.goal, ownerName: row.ownerName };
  }

  /** The checks a goal must pass as a whole: its KPI takes its filters, its period runs forward, it has one owner, its parents form no loop. */
  async function check(executor: Executor, goal: Omit<GoalRow, 'createdAt' | 'updatedAt' | 'createdBy'>) {
    const definition = kpiDefinition(goal.kpiKey);
    const notTaken = Object.keys(goal.filters).filter(
      (name) => !(definition.filters as readonly string[]).includes(name),
    );
    if (notTaken.length > 0)
      throw refused(
        'goals.filter_not_applicable',
        `${definition.name} cannot be filtered by ${notTaken.join(', ')}.`,
        notTaken.map((name) => ({ path: `filters.${name}`, message: `is not a filter of ${definition.key}` })),
      );
    if (goal.periodEnd < goal.periodStart)
      throw refused('goals.empty_period', 'The period must not end before it starts.', [
        { path: 'periodEnd', message: 'must not be before periodStart' },
      ]);
    if (dayStart(goal.periodEnd).getTime() - dayStart(goal.periodStart).getTime() > MAX_PERIOD_DAYS * DAY)
      throw refused('goals.long_period', 'A goal runs for at most ten years.', [
        { path: 'periodEnd', message: 'must be within ten years of periodStart' },
      ]);
    if ((goal.ownerUserId === null) === (goal.ownerTeamId === null))
      throw refused('goals.owner', 'A goal is owned by one person or one team.', [
        { path: 'ownerUserId', message: 'give either ownerUserId or ownerTeamId' },
      ]);
    for (let parentId = goal.parentId; parentId !== null;) {
      if (parentId === goal.id)
        throw refused('goals.parent_loop', 'A goal cannot roll up to itself.', [
          { path: 'parentId', message: 'would make the goal its own ancestor' },
        ]);
      const [parent] = await executor.select({ parentId: goals.parentId }).from(goals).where(eq(goals.id, parentId));
      if (!parent)
        throw new AppError('not_found', 'goals.parent_not_found', `There is no goal ${parentId} to roll up to.`);
      parentId = parent.parentId;
    }
  }

  return {
    /** All goals (or mine: mine and my teams'), parents before children within a period, with progress. */
    async list(actor: Actor, options: { mine?: boolean } = {}) {
      authorize(actor, 'insights.read');
      let where;
      if (options.mine) {
        if (actor.kind !== 'user') return { goals: [] };
        const myTeams = db
          .select({ id: teamMembers.teamId })
          .from(teamMembers)
          .where(eq(teamMembers.userId, actor.userId));
        where = or(eq(goals.ownerUserId, actor.userId), inArray(goals.ownerTeamId, myTeams));
      }
      const rows = await selectGoals(db).where(where);
      return {
        goals: await withProgress(
          actor,
          rows.map((row) => ({ ...row.goal, ownerName: row.ownerName })),
        ),
      };
    },

    /** One goal with its progress and the goals that roll up to it. */
    async get(actor: Actor, id: string) {
      authorize(actor, 'insights.read');
      const goal = await find(db, id);
      const children = await selectGoals(db).where(eq(goals.parentId, id));
      const [withItsProgress] = await withProgress(actor, [goal]);
      return {
        ...withItsProgress!,
        children: await withProgress(
          actor,
          children.map((row) => ({ ...row.goal, ownerName: row.ownerName })),
        ),
      };
    },

    async create(actor: Actor, input: CreateGoalInput) {
      authorize(actor, 'goals.manage');
      const id = await db.transaction(async (tx) => {
        const now = clock.now();
        const values = {
          ...input,
          ownerUserId: input.ownerUserId ?? null,
          ownerTeamId: input.ownerTeamId ?? null,
          parentId: input.parentId ?? null,
        };
        await check(tx, { id: '', ...values });
        const [created] = await tx
          .insert(goals)
          .values({
            ...values,
            createdBy: actor.kind === 'user' ? actor.email : actor.label,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'goal.created',
          entityType: 'goal',
          entityId: created!.id,
          summary: { name: created!.name, kpiKey: created!.kpiKey, target: created!.target },
        });
        return created!.id;
      });
      return this.get(actor, id);
    },

    async update(actor: Actor, id: string, change: UpdateGoalInput) {
      authorize(actor, 'goals.manage');
      await db.transaction(async (tx) => {
        const [before] = await tx.select().from(goals).where(eq(goals.id, id)).for('update');
        if (!before) throw goalNotFound(id);
        const after = { ...before, ...change };
        await check(tx, after);
        const [updated] = await tx
          .update(goals)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(goals.id, id))
          .returning();
        const { createdAt: _c, updatedAt: _u, ...was } = before;
        const { createdAt: _c2, updatedAt: _u2, ...is } = updated!;
        await audit.record(tx, actor, {
          action: 'goal.updated',
          entityType: 'goal',
          entityId: id,
          summary: { fieldChanges: fieldChanges(was, is) },
        });
      });
      return this.get(actor, id);
    },

    async remove(actor: Actor, id: string) {
      authorize(actor, 'goals.manage');
      await db.transaction(async (tx) => {
        const [removed] = await tx.delete(goals).where(eq(goals.id, id)).returning();
        if (!removed) throw goalNotFound(id);
        await audit.record(tx, actor, {
          action: 'goal.deleted',
          entityType: 'goal',
          entityId: id,
          summary: { name: removed.name, kpiKey: removed.kpiKey },
        });
      });
    },
  };
}
