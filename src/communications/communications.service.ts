import { createHash } from 'node:crypto';
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import yazl from 'yazl';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CustomersService } from '../customers/customers.service.js';
import { customers } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { isCommunicationContentDestroyed } from '../records/blob-references.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { assertSendData } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { fragments, fragmentVersions, templates, templateVersions } from '../templates/templates.tables.js';
import type { CommunicationFilter, SendRequest } from './communications.schemas.js';
import { communicationAttempts, communications } from './communications.tables.js';
import { deliverJob } from './delivery-batch.js';

const extensionOf: Record<string, string> = {
  'message/rfc822': 'eml',
  'application/pdf': 'pdf',
  'text/plain; charset=utf-8': 'txt',
  'application/vnd.tidings.portal-message+json': 'json',
};

/** What identifies a send request: the same Idempotency-Key with a different request is refused. */
const requestHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Newest first; rows made in one transaction share a timestamp, so the id breaks the tie. */
const newestFirst = keyset(
  [
    { expression: communications.createdAt, type: 'timestamptz' },
    { expression: communications.id, type: 'uuid' },
  ],
  'desc',
);

/** A copy destroyed by a disposition at the end of its retention answers so, rather than as a missing blob. */
async function assertContentKept(executor: Executor, id: string) {
  if (await isCommunicationContentDestroyed(executor, id))
    throw new AppError(
      'not_found',
      'communication.disposed',
      'The content of this communication was destroyed at the end of its retention.',
    );
}

export type CommunicationsService = ReturnType<typeof createCommunicationsService>;

export function createCommunicationsService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'read'>;
  queue: Pick<JobQueue, 'enqueue'>;
  templates: Pick<TemplatesService, 'sendable'>;
  customers: Pick<CustomersService, 'load'>;
}) {
  const { db, audit } = deps;

  /** The template version and the fragment versions it pinned, with who wrote and approved them: the source of a sent item. */
  async function versionsUsed(versionId: string) {
    const [version] = await db
      .select({
        key: templates.key,
        name: templates.name,
        number: templateVersions.number,
        status: templateVersions.status,
        variants: templateVersions.variants,
        dataSchema: templateVersions.dataSchema,
        pinned: templateVersions.pinnedFragments,
        createdBy: templateVersions.createdBy,
        decidedBy: templateVersions.decidedBy,
        decidedAt: templateVersions.decidedAt,
        publishedAt: templateVersions.publishedAt,
      })
      .from(templateVersions)
      .innerJoin(templates, eq(templates.id, templateVersions.templateId))
      .where(eq(templateVersions.id, versionId));
    const { pinned, ...template } = version!;
    const ids = Object.values(pinned ?? {});
    const fragmentRows = ids.length
      ? await db
          .select({
            id: fragmentVersions.id,
            key: fragments.key,
            number: fragmentVersions.number,
            body: fragmentVersions.body,
            decidedBy: fragmentVersions.decidedBy,
          })
          .from(fragmentVersions)
          .innerJoin(fragments, eq(fragments.id, fragmentVersions.fragmentId))
          .where(inArray(fragmentVersions.id, ids))
      : [];
    return { template: { ...template, versionId }, fragments: fragmentRows };
  }

  /** The template a list filter names by key or id; anything else is refused, naming the field, rather than matching nothing. */
  async function templateNamed(keyOrId: string) {
    const [template] = await db
      .select({ id: templates.id })
      .from(templates)
      .where(or(eq(templates.key, keyOrId), sql`${templates.id}::text = ${keyOrId}`));
    if (template) return template.id;
    const [version] = await db
      .select({ number: templateVersions.number })
      .from(templateVersions)
      .where(sql`${templateVersions.id}::text = ${keyOrId}`);
    throw new AppError(
      'validation_failed',
      'communication.unknown_template',
      version
        ? `${keyOrId} is a template version (version ${version.number}), not a template; filter by templateVersionId.`
        : `No template with key or id ${keyOrId}.`,
      [{ path: 'querystring.template', message: version ? 'is a template version id' : 'names no template' }],
    );
  }

  /** Communications of one template version (by the template's index); an id of anything else is refused. */
  async function ofVersion(versionId: string) {
    const [version] = await db
      .select({ templateId: templateVersions.templateId })
      .from(templateVersions)
      .where(eq(templateVersions.id, versionId));
    if (!version) {
      const [template] = await db.select({ key: templates.key }).from(templates).where(eq(templates.id, versionId));
      throw new AppError(
        'validation_failed',
        'communication.unknown_template_version',
        template
          ? `${versionId} is the template ${template.key}, not one of its versions; filter by template.`
          : `No template version with id ${versionId}.`,
        [
          {
            path: 'querystring.templateVersionId',
            message: template ? 'is a template id' : 'names no template version',
          },
        ],
      );
    }
    return and(eq(communications.templateId, version.templateId), eq(communications.templateVersionId, versionId));
  }

  async function get(id: string) {
    const [row] = await db
      .select({
        communication: communications,
        templateKey: templates.key,
        templateName: templates.name,
        versionNumber: templateVersions.number,
        customerName: customers.name,
      })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .innerJoin(templateVersions, eq(templateVersions.id, communications.templateVersionId))
      .innerJoin(customers, eq(customers.id, communications.customerId))
      .where(eq(communications.id, id));
    if (!row) throw notFound('communication', id);
    const attempts = await db
      .select()
      .from(communicationAttempts)
      .where(eq(communicationAttempts.communicationId, id))
      .orderBy(communicationAttempts.at, communicationAttempts.id);
    return {
      ...row.communication,
      templateKey: row.templateKey,
      templateName: row.templateName,
      versionNumber: row.versionNumber,
      customerName: row.customerName,
      attempts,
    };
  }

  /**
   * One communication and its delivery job, in the caller's transaction: the template's published
   * version, the data checked against its schema, a customer who may be written to. Answers the new
   * id, or nothing when a concurrent request with the same Idempotency-Key won.
   */
  async function queueIn(
    tx: Executor,
    actor: Actor,
    request: SendRequest,
    idempotency: { idempotencyKey?: string; hash: string },
  ) {
    const { template, version } = await deps.templates.sendable(tx, request.template);
    const data = request.data ?? {};
    assertSendData(version.dataSchema, data);
    const customer = await deps.customers.load(tx, request.customerId);
    if (customer.mergedInto) {
      throw new AppError(
        'conflict',
        'customer.merged',
        `This customer was merged into customer ${customer.mergedInto}; send to that record.`,
        [{ path: 'body.customerId', message: `was merged into ${customer.mergedInto}` }],
      );
    }
    if (customer.archivedAt)
      throw new AppError(
        'conflict',
        'customer.archived',
        'This customer is archived; restore the record before sending to it.',
        [{ path: 'body.customerId', message: 'is archived' }],
      );
    const [created] = await tx
      .insert(communications)
      .values({
        customerId: request.customerId,
        templateId: template.id,
        templateVersionId: version.id,
        purpose: template.purpose,
        data,
        idempotencyKey: idempotency.idempotencyKey,
        requestHash: idempotency.hash,
        createdBy: actorLabel(actor),
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: communications.id });
    if (!created) return undefined;
    await deps.queue.enqueue(tx, { ...deliverJob(created.id), idempotencyKey: `deliver:${created.id}` });
    await audit.record(tx, actor, {
      action: 'communication.requested',
      entityType: 'communication',
      entityId: created.id,
      summary: { template: template.key, version: version.number, customerId: request.customerId },
    });
    return created.id;
  }

  return {
    get(actor: Actor, id: string) {
      authorize(actor, 'communications.read');
      return get(id);
    },

    /**
     * Sends one communication now. The same Idempotency-Key never sends twice: a repeat gets the first
     * communication back; the key with a different request is refused.
     */
    async send(
      actor: Actor,
      request: SendRequest,
      idempotencyKey?: string,
    ): Promise<{ communication: Awaited<ReturnType<typeof get>>; replayed: boolean }> {
      authorize(actor, 'communications.send');
      // Only Tidings itself names the address that asked (a portal sign-in link): it skips quiet hours.
      if (request.data && 'requestedBy' in request.data) {
        throw new AppError(
          'validation_failed',
          'communication.reserved_data',
          'data.requestedBy is set by Tidings only.',
          [{ path: 'body.data.requestedBy', message: 'is reserved for messages the recipient asked for themselves' }],
        );
      }
      const hash = requestHash(request);
      if (idempotencyKey) {
        const [existing] = await db
          .select()
          .from(communications)
          .where(eq(communications.idempotencyKey, idempotencyKey));
        if (existing) {
          if (existing.requestHash !== hash) {
            throw new AppError(
              'conflict',
              'idempotency.key_reused',
              'This Idempotency-Key was used for a different request; use a new key for a new send.',
              [
                {
                  path: 'headers.idempotency-key',
                  message: `was used for communication ${existing.id} with another body`,
                },
              ],
            );
          }
          return { communication: await get(existing.id), replayed: true };
        }
      }
      const id = await db.transaction((tx) => queueIn(tx, actor, request, { idempotencyKey, hash }));
      // Two requests with one key at the same moment: the loser answers with the winner's communication.
      if (!id) return this.send(actor, request, idempotencyKey);
      return { communication: await get(id), replayed: false };
    },

    /**
     * Queues one communication inside the caller's transaction, so what it answers (a ticket's
     * reply) is recorded with it or not at all; read it with `get` once the transaction committed.
     */
    async sendIn(tx: Executor, actor: Actor, request: SendRequest) {
      authorize(actor, 'communications.send');
      return (await queueIn(tx, actor, request, { hash: requestHash(request) }))!;
    },

    async list(actor: Actor, filter: CommunicationFilter) {
      authorize(actor, 'communications.read');
      const conditions: (SQL | undefined)[] = [
        filter.status ? eq(communications.status, filter.status) : undefined,
        filter.channel ? eq(communications.channel, filter.channel) : undefined,
        filter.template ? eq(communications.templateId, await templateNamed(filter.template)) : undefined,
        filter.templateVersionId ? await ofVersion(filter.templateVersionId) : undefined,
        filter.batchRunId ? eq(communications.batchRunId, filter.batchRunId) : undefined,
        filter.customerId ? eq(communications.customerId, filter.customerId) : undefined,
        filter.transport ? eq(communications.transport, filter.transport) : undefined,
      ];
      conditions.push(newestFirst.after(filter.cursor));
      const rows = await db
        .select({
          communication: communications,
          templateKey: templates.key,
          templateName: templates.name,
          customerName: customers.name,
          position: newestFirst.position,
        })
        .from(communications)
        .innerJoin(templates, eq(templates.id, communications.templateId))
        .innerJoin(customers, eq(customers.id, communications.customerId))
        .where(and(...conditions))
        .orderBy(...newestFirst.orderBy)
        .limit(filter.limit + 1);
      const page = newestFirst.page(rows, filter.limit);
      return {
        communications: page.rows.map((row) => ({
          ...row.communication,
          templateKey: row.templateKey,
          templateName: row.templateName,
          customerName: row.customerName,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** The exact copy that was handed to the channel. */
    async archivedCopy(actor: Actor, id: string) {
      authorize(actor, 'communications.copies');
      const communication = await get(id);
      if (!communication.archiveSha256)
        throw new AppError('not_found', 'communication.not_rendered', 'This communication has not been rendered yet.');
      await assertContentKept(db, id);
      const bytes = await deps.blobs.read(communication.archiveSha256);
      await db.transaction((tx) =>
        audit.record(tx, actor, {
          action: 'communication.copy_downloaded',
          entityType: 'communication',
          entityId: id,
          summary: { customerId: communication.customerId, sha256: communication.archiveSha256 },
        }),
      );
      return {
        bytes,
        mediaType: communication.archiveMediaType!,
        fileName: `communication-${id}.${extensionOf[communication.archiveMediaType!] ?? 'bin'}`,
      };
    },

    /** Proof of what was sent, as one ZIP: the exact copy, the data snapshot, every attempt, and a manifest of hashes. */
    async proofPackage(actor: Actor, id: string) {
      authorize(actor, 'communications.copies');
      const communication = await get(id);
      if (!communication.archiveSha256 || !communication.snapshotSha256)
        throw new AppError('not_found', 'communication.not_rendered', 'This communication has not been rendered yet.');
      await assertContentKept(db, id);
      const [copy, snapshot] = await Promise.all([
        deps.blobs.read(communication.archiveSha256),
        deps.blobs.read(communication.snapshotSha256),
      ]);
      const copyName = `sent-copy.${extensionOf[communication.archiveMediaType!] ?? 'bin'}`;
      const { attempts, ...record } = communication;
      const files: [string, Buffer][] = [
        [copyName, copy],
        ['snapshot.json', snapshot],
        ['communication.json', Buffer.from(JSON.stringify(record, null, 2))],
        ['attempts.json', Buffer.from(JSON.stringify(attempts, null, 2))],
        [
          'template-version.json',
          Buffer.from(JSON.stringify(await versionsUsed(communication.templateVersionId), null, 2)),
        ],
      ];
      const manifest =
        files.map(([name, bytes]) => `${createHash('sha256').update(bytes).digest('hex')}  ${name}`).join('\n') + '\n';
      const zip = new yazl.ZipFile();
      for (const [name, bytes] of files) zip.addBuffer(bytes, name, { mtime: communication.createdAt });
      zip.addBuffer(Buffer.from(manifest), 'SHA256SUMS', { mtime: communication.createdAt });
      zip.end();
      await db.transaction((tx) =>
        audit.record(tx, actor, {
          action: 'communication.proof_exported',
          entityType: 'communication',
          entityId: id,
          summary: { customerId: communication.customerId, sha256: communication.archiveSha256 },
        }),
      );
      return { stream: zip.outputStream, fileName: `communication-${id}-proof.zip` };
    },
  };
}
