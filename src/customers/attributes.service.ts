import { asc, eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { attributeDefinitions, type AttributeType } from './customers.tables.js';

export type AttributesService = ReturnType<typeof createAttributesService>;

/** The custom fields admins define for customers. */
export function createAttributesService({ db, audit }: { db: Database; audit: Pick<AuditTrail, 'record'> }) {
  return {
    definitions: (executor: Executor = db) =>
      executor.select().from(attributeDefinitions).orderBy(asc(attributeDefinitions.label)),

    async define(actor: Actor, input: { key: string; label: string; type: AttributeType; choices?: string[] }) {
      authorize(actor, 'customers.attributes');
      if (input.type === 'choice' && !input.choices?.length) {
        throw new AppError('validation_failed', 'attribute.no_choices', 'A choice attribute needs its choices.', [
          { path: 'body.choices', message: 'list at least one choice' },
        ]);
      }
      return db.transaction(async (tx) => {
        const [created] = await tx
          .insert(attributeDefinitions)
          .values({ ...input, choices: input.type === 'choice' ? input.choices : [] })
          .onConflictDoNothing()
          .returning();
        if (!created)
          throw new AppError('conflict', 'attribute.exists', `An attribute with key ${input.key} already exists.`, [
            { path: 'body.key', message: 'is already taken' },
          ]);
        await audit.record(tx, actor, {
          action: 'attribute.defined',
          entityType: 'customer_attribute',
          entityId: input.key,
          summary: { ...input },
        });
        return created;
      });
    },

    async remove(actor: Actor, key: string) {
      authorize(actor, 'customers.attributes');
      await db.transaction(async (tx) => {
        const [removed] = await tx.delete(attributeDefinitions).where(eq(attributeDefinitions.key, key)).returning();
        if (!removed) throw new AppError('not_found', 'attribute.not_found', `No attribute with key ${key}.`);
        await audit.record(tx, actor, { action: 'attribute.removed', entityType: 'customer_attribute', entityId: key });
      });
    },
  };
}
