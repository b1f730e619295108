import { sql } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import { finalStatuses, type CommunicationStatus } from '../communications/communications.tables.js';
import { rows, uuidArray, type Database } from '../db/database.js';
import { extractText, MAX_TEXT_CHARS } from '../documents/text/extract.js';
import type { EnqueueRequest, JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../shared/clock.js';

export const INDEX_COMMUNICATIONS_JOB = 'search.index_communications';

/** How often the indexer looks for newly archived communications. */
export const INDEX_INTERVAL_MS = 10_000;
/** Communications read per batch; a run reads batches until none is left or it has read this many. */
const BATCH = 200;
const MAX_PER_RUN = 5_000;

const PORTAL_MESSAGE = 'application/vnd.tidings.portal-message+json';

type Candidate = {
  id: string;
  status: CommunicationStatus;
  archive_sha256: string | null;
  archive_media_type: string | null;
  snapshot_sha256: string | null;
  template_name: string;
  indexed: boolean;
};

export type CommunicationIndex = ReturnType<typeof createCommunicationIndex>;

/**
 * Makes archived communications searchable without slowing delivery: a periodic job reads the
 * archived copies of communications made since it last looked (in creation order, from a stored
 * watermark) and stores their text. One not yet archived but still on its way waits in a list the
 * job looks at again each run; one that ended without a copy is passed over.
 */
export function createCommunicationIndex({
  db,
  blobs,
  queue,
  clock,
}: {
  db: Database;
  blobs: Pick<BlobStore, 'read'>;
  queue: Pick<JobQueue, 'enqueue' | 'ensureScheduled'>;
  clock: Clock;
}) {
  /** The words of one archived copy: an email parsed, a letter's PDF text, an SMS, a portal message's subject and body. */
  async function textOf(bytes: Buffer, mediaType: string) {
    if (mediaType === PORTAL_MESSAGE) {
      const message = JSON.parse(bytes.toString('utf8')) as { subject?: string; html?: string };
      const body = await extractText(Buffer.from(message.html ?? ''), 'text/html', 'message.html');
      return [message.subject ?? '', body.text].filter(Boolean).join('\n\n');
    }
    return (await extractText(bytes, mediaType, '')).text;
  }

  /**
   * The words of an archived communication: those its snapshot kept at rendering (a letter's PDF
   * would cost more to read back than it took to draw), else those of the copy itself.
   */
  async function wordsOf(candidate: Candidate) {
    if (candidate.snapshot_sha256) {
      const snapshot = JSON.parse((await blobs.read(candidate.snapshot_sha256)).toString('utf8')) as { text?: unknown };
      if (typeof snapshot.text === 'string') return snapshot.text.slice(0, MAX_TEXT_CHARS);
    }
    return textOf(await blobs.read(candidate.archive_sha256!), candidate.archive_media_type ?? '');
  }

  /** The text of each of these archived communications, or why it could not be read. */
  async function index(candidates: Candidate[]) {
    const found: { communicationId: string; title: string; text: string; reason: string | null }[] = [];
    for (const candidate of candidates) {
      const entry = {
        communicationId: candidate.id,
        title: candidate.template_name,
        text: '',
        reason: null as string | null,
      };
      try {
        entry.text = await wordsOf(candidate);
      } catch (error) {
        // The communication is still found by its title; the reason says why its words are missing.
        entry.reason = (error as Error).message.slice(0, 1000);
      }
      found.push(entry);
    }
    return found;
  }

  const archived = (candidate: Candidate) => candidate.archive_sha256 !== null;
  const onItsWay = (candidate: Candidate) => !archived(candidate) && !finalStatuses.includes(candidate.status);

  const candidateColumns = sql`c.id, c.status, c.archive_sha256, c.archive_media_type, c.snapshot_sha256, t.name as template_name`;

  /** One batch after the watermark, and the waiting ones: indexed, waiting, or passed over. */
  async function indexBatch() {
    const fresh = await rows<Candidate & { indexed: boolean }>(
      db,
      sql`select ${candidateColumns},
                 exists (select 1 from communication_texts ct where ct.communication_id = c.id) as indexed
          from communications c
          join templates t on t.id = c.template_id
          left join search_index_state w on w.name = 'communications'
          where w.name is null or (c.created_at, c.id) > (w.created_at, w.id)
          order by c.created_at, c.id
          limit ${BATCH}`,
    );
    const waiting = await rows<Candidate>(
      db,
      sql`select ${candidateColumns}
          from search_waiting_communications s
          join communications c on c.id = s.communication_id
          join templates t on t.id = c.template_id
          order by c.created_at, c.id
          limit ${BATCH}`,
    );
    const found = await index([
      ...waiting.filter(archived),
      ...fresh.filter((candidate) => archived(candidate) && !candidate.indexed),
    ]);
    const nowWaiting = fresh.filter(onItsWay).map((candidate) => candidate.id);
    const doneWaiting = waiting.filter((candidate) => !onItsWay(candidate)).map((candidate) => candidate.id);
    const last = fresh.at(-1)?.id;
    await db.transaction(async (tx) => {
      if (found.length > 0)
        await tx.execute(sql`
          insert into communication_texts (communication_id, title, text, reason, indexed_at)
          select r."communicationId", r.title, r.text, r.reason, ${clock.now()}
          from jsonb_to_recordset(${JSON.stringify(found)}::jsonb)
            as r("communicationId" uuid, title text, text text, reason text)
          on conflict do nothing`);
      if (nowWaiting.length > 0)
        await tx.execute(sql`
          insert into search_waiting_communications (communication_id)
          select unnest(${uuidArray(nowWaiting)}) on conflict do nothing`);
      if (doneWaiting.length > 0)
        await tx.execute(sql`
          delete from search_waiting_communications
          where communication_id = any(${uuidArray(doneWaiting)})`);
      // Through the row itself, so the watermark keeps the database's microseconds.
      if (last)
        await tx.execute(sql`
          insert into search_index_state (name, created_at, id)
          select 'communications', created_at, id from communications where id = ${last}
          on conflict (name) do update set created_at = excluded.created_at, id = excluded.id`);
    });
    return { looked: fresh.length, indexed: found.length };
  }

  /** The next run, at the next interval boundary (one per boundary, by its idempotency key). */
  function nextRun(): EnqueueRequest {
    const at = new Date(Math.ceil((clock.now().getTime() + 1) / INDEX_INTERVAL_MS) * INDEX_INTERVAL_MS);
    return {
      kind: INDEX_COMMUNICATIONS_JOB,
      payload: { at: at.toISOString() },
      runAt: at,
      idempotencyKey: `${INDEX_COMMUNICATIONS_JOB}:${at.toISOString()}`,
    };
  }

  return {
    /** Indexes what was archived since the last run; returns how many communications got their text. */
    async indexArchived() {
      let indexed = 0;
      for (let looked = 0; looked < MAX_PER_RUN;) {
        const batch = await indexBatch();
        indexed += batch.indexed;
        looked += batch.looked;
        if (batch.looked < BATCH) break;
      }
      return indexed;
    },

    /** At start: the indexer's runs go on, unless one is already waiting or running (another process's). */
    async ensureScheduled() {
      await queue.ensureScheduled(db, nextRun());
    },

    /** Enqueues the next run: each run schedules the one after it. */
    async scheduleNext() {
      await queue.enqueue(db, nextRun());
    },
  };
}
