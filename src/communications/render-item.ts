import type { Channel } from '../customers/customers.tables.js';
import type { RenderedItem } from '../rendering/channels.js';
import { RenderError } from '../rendering/errors.js';
import type { RenderPool, TemplateSource } from '../rendering/render-pool.js';
import type { Brand, RenderContext } from '../rendering/types.js';

export type { RenderedItem };

export const messageIdFor = (communicationId: string, brand: Brand) =>
  `<${communicationId}@${brand.senders.emailFrom.split('@')[1] ?? 'tidings.local'}>`;

/** A delivered item whose template ran past the render budget: the same template and data would again, so it fails for good. */
export class RenderBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(
      `Rendering took longer than its budget of ${budgetMs / 1000} s and was stopped; a loop in the template is probably too large.`,
    );
    this.name = 'RenderBudgetExceeded';
  }
}

/** Where a reply stands in an email conversation: the Message-ID it answers and the chain before it, oldest first. */
export type EmailThread = { inReplyTo?: string; references?: string[] };

/**
 * A communication that answers an email names it in its data (`data.thread`, as a ticket's reply
 * does); anything else there is ignored rather than trusted as a header.
 */
export function threadOf(data: Record<string, unknown>): EmailThread | undefined {
  const thread = data.thread as { inReplyTo?: unknown; references?: unknown } | undefined;
  if (!thread || typeof thread !== 'object') return undefined;
  const messageId = (value: unknown): value is string =>
    typeof value === 'string' && /^<?[^\s<>]+@[^\s<>]+>?$/.test(value);
  return {
    inReplyTo: messageId(thread.inReplyTo) ? thread.inReplyTo : undefined,
    references: Array.isArray(thread.references) ? thread.references.filter(messageId) : undefined,
  };
}

/** Files a communication carries, named in its data (`data.attachments`, as a ticket's reply does) by blob. */
export function attachmentsOf(
  data: Record<string, unknown>,
): { sha256: string; filename: string; mediaType: string }[] {
  if (!Array.isArray(data.attachments)) return [];
  return data.attachments.filter(
    (file): file is { sha256: string; filename: string; mediaType: string } =>
      typeof file?.sha256 === 'string' && typeof file.filename === 'string' && typeof file.mediaType === 'string',
  );
}

export type DeliveryRender = {
  template: TemplateSource;
  channel: Channel;
  context: RenderContext;
  communicationId: string;
  address: string;
  recipientName: string;
  /** The List-Unsubscribe URL of an email; `oneClick` when it takes an RFC 8058 POST (Tidings' own links). */
  listUnsubscribe?: { url: string; oneClick: boolean };
  thread?: EmailThread;
  /** Files an email carries as MIME attachments. */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
  /** The reference code a letter or fax prints (reference-code.ts). */
  reference?: string;
};

/**
 * The exact bytes a channel is handed, which are also what is archived: the .eml for email, the
 * PDF for letter and fax, the text for SMS, the HTML for the portal. Rendered in the render pool,
 * each item within its own budget; a list goes to one thread as one message. An item answers its
 * bytes, or why not: a RenderError or RenderBudgetExceeded (the template, for good), or any other
 * Error (a thread that died: worth another try).
 */
export async function renderItems(
  renderer: Pick<RenderPool, 'render'>,
  items: DeliveryRender[],
): Promise<(RenderedItem | Error)[]> {
  const outcomes = await renderer.render(
    items.map((item) => {
      const { brand } = item.context;
      return {
        kind: 'delivery' as const,
        template: item.template,
        context: item.context,
        recipientName: item.recipientName,
        channel: item.channel,
        envelope:
          item.channel === 'email'
            ? {
                from: { name: brand.senders.emailName, address: brand.senders.emailFrom },
                to: item.address,
                replyTo: brand.senders.replyTo,
                messageId: messageIdFor(item.communicationId, brand),
                listUnsubscribe: item.listUnsubscribe?.url,
                listUnsubscribeOneClick: item.listUnsubscribe?.oneClick,
                date: item.context.now,
                inReplyTo: item.thread?.inReplyTo,
                references: item.thread?.references,
                attachments: item.attachments,
              }
            : undefined,
        reference: item.reference,
      };
    }),
    'each',
  );
  return outcomes.map((outcome) => {
    switch (outcome.status) {
      case 'rendered':
        return outcome.result;
      case 'failed':
        return new RenderError(outcome.error.field, outcome.error.message, outcome.error.line, outcome.error.column);
      case 'budget_exceeded':
        return new RenderBudgetExceeded(outcome.budgetMs);
      case 'error':
        return new Error(outcome.message);
    }
  });
}

/** One item: a template error or an overrun is thrown. */
export async function renderItem(renderer: Pick<RenderPool, 'render'>, item: DeliveryRender): Promise<RenderedItem> {
  const [rendered] = await renderItems(renderer, [item]);
  if (rendered instanceof Error) throw rendered;
  return rendered!;
}
