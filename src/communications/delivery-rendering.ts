import { sha256Of, type BlobStore } from '../blobs/blob-store.js';
import { RenderError } from '../rendering/errors.js';
import type { UnsubscribeLinks } from '../portal/unsubscribe.links.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import { renderContextFor } from '../templates/render-context.js';
import type { Closing, Ready, Routed } from './delivery-batch.js';
import { languageOf } from './delivery-routing.js';
import { referenceCodeOf } from './reference-code.js';
import { attachmentsOf, RenderBudgetExceeded, renderItems, threadOf, type RenderedItem } from './render-item.js';

/** A copy archived by an earlier attempt for this channel and address: it goes again as it is, never rendered anew. */
const archivedFor = ({ item: { communication }, channel, address }: Routed) =>
  communication.archiveSha256 !== null &&
  communication.channel === channel &&
  communication.address === address &&
  (communication.status === 'handing_over' || communication.status === 'rendered');

/**
 * Marketing carries Tidings' own unsubscribe links for the channel it goes by: the web page as
 * `data.unsubscribeUrl` (the footer's link) and, on email, the one-click URL (RFC 8058) as
 * List-Unsubscribe. Anything else keeps the `data.unsubscribeUrl` its sender gave, as a plain
 * List-Unsubscribe, if any.
 */
function withUnsubscribe({ item, channel }: Routed, links: Pick<UnsubscribeLinks, 'linksFor'>) {
  const { data } = item.communication;
  if (item.communication.purpose !== 'marketing') {
    const given = typeof data.unsubscribeUrl === 'string' ? data.unsubscribeUrl : undefined;
    return { data, listUnsubscribe: given ? { url: given, oneClick: false } : undefined };
  }
  const url = links.linksFor({ customerId: item.customer.id, channel, purpose: 'marketing' });
  return { data: { ...data, unsubscribeUrl: url.page }, listUnsubscribe: { url: url.oneClick, oneClick: true } };
}

/**
 * Render: the exact bytes of each item that has no archived copy for its channel and address, in
 * the render pool, the batch split into one message per thread. Answers the items found archived,
 * and each rendered one with its bytes or why not (see `renderItems`).
 */
export async function render(
  renderer: Pick<RenderPool, 'render' | 'threads'>,
  blobs: Pick<BlobStore, 'read'>,
  routed: Routed[],
  brand: Brand,
  now: Date,
  unsubscribeLinks: Pick<UnsubscribeLinks, 'linksFor'>,
) {
  // An email carries the files its data names; other channels never do.
  const filesOf = async (entry: Routed) =>
    entry.channel === 'email'
      ? Promise.all(
          attachmentsOf(entry.item.communication.data).map(async (file) => ({
            filename: file.filename,
            contentType: file.mediaType,
            content: await blobs.read(file.sha256),
          })),
        )
      : [];
  const pending = routed.filter((entry) => !archivedFor(entry));
  const files = await Promise.all(pending.map(filesOf));
  const tasks = pending.map((entry, index) => {
    const { item } = entry;
    const language = languageOf(item);
    const { data, listUnsubscribe } = withUnsubscribe(entry, unsubscribeLinks);
    const context = renderContextFor(item.customer, brand, data, now, language);
    return {
      entry,
      language,
      context,
      render: {
        template: {
          cacheKey: `${item.templateVersion.id}:${language}`,
          bodies: item.templateVersion.variants[language]!,
          fragments: item.fragments,
        },
        channel: entry.channel,
        context,
        communicationId: item.communication.id,
        address: entry.address,
        recipientName: item.customer.name,
        listUnsubscribe,
        thread: threadOf(item.communication.data),
        attachments: files[index]!.length ? files[index] : undefined,
        // Paper carries the code its answer is matched by.
        reference:
          entry.channel === 'letter' || entry.channel === 'fax' ? referenceCodeOf(item.communication.id) : undefined,
      },
    };
  });
  const share = Math.max(1, Math.ceil(tasks.length / Math.max(1, renderer.threads)));
  const parts: (typeof tasks)[] = [];
  for (let start = 0; start < tasks.length; start += share) parts.push(tasks.slice(start, start + share));
  const outcomes = (
    await Promise.all(
      parts.map((part) =>
        renderItems(
          renderer,
          part.map((task) => task.render),
        ),
      ),
    )
  ).flat();
  return {
    archived: routed.filter(archivedFor),
    rendered: tasks.map((task, index) => ({ ...task, outcome: outcomes[index]! })),
  };
}

/** The template cannot be rendered for this item (or ran out of time): the same would happen again, so it fails for good. */
export const renderFailure = (entry: Routed, error: RenderError | RenderBudgetExceeded): Closing => ({
  item: entry.item,
  event: 'fail',
  reason: error.message,
  title:
    error instanceof RenderError
      ? `Not sent: the ${entry.channel} cannot be rendered`
      : 'Not sent: rendering ran out of time',
  attempt: { channel: entry.channel, outcome: 'failed_permanently' },
});

/**
 * Archive: the exact copies and the snapshot of what each was rendered from, durably on disk (one
 * round of syncs for the batch) before any row points at them.
 */
export async function archive(
  blobs: Pick<BlobStore, 'putMany'>,
  rendered: { entry: Routed; language: string; context: ReturnType<typeof renderContextFor>; item: RenderedItem }[],
  now: Date,
): Promise<Ready[]> {
  const copies = rendered.map(({ item }) => ({ sha256: sha256Of(item.bytes), size: item.bytes.length }));
  const snapshots = rendered.map(({ entry, language, context, item }, index) => {
    const { communication, templateVersion, template } = entry.item;
    const snapshot = {
      communicationId: communication.id,
      template: {
        id: communication.templateId,
        key: template.key,
        versionId: templateVersion.id,
        version: templateVersion.number,
      },
      fragments: templateVersion.pinnedFragments ?? {},
      language,
      channel: entry.channel,
      address: entry.address,
      channelReason: entry.reason,
      customer: context.customer,
      data: context.data,
      renderedAt: now.toISOString(),
      archive: { sha256: copies[index]!.sha256, mediaType: item.mediaType, size: copies[index]!.size },
      // Its words as rendered: the search index reads them here instead of taking the copy apart again.
      text: item.text,
    };
    return Buffer.from(JSON.stringify(snapshot, null, 2));
  });
  const stored = await blobs.putMany([...rendered.map(({ item }) => item.bytes), ...snapshots]);
  return rendered.map(({ entry, language, item }, index) => ({
    ...entry,
    bytes: item.bytes,
    language,
    archive: { sha256: copies[index]!.sha256, mediaType: item.mediaType, size: copies[index]!.size },
    snapshotSha256: stored[rendered.length + index]!.sha256,
    messageId: item.messageId ?? null,
    detail: handOverNote(entry, false),
  }));
}

/**
 * The copies archived by earlier attempts, read back (and checked against their hash) to go again
 * as they are. One that cannot be read goes to `retry`, to be tried again later on its own.
 */
export async function reuse(
  blobs: Pick<BlobStore, 'read'>,
  archived: Routed[],
  retry: Map<string, Error>,
): Promise<Ready[]> {
  const found = await Promise.all(
    archived.map(async (entry): Promise<Ready | undefined> => {
      const { communication } = entry.item;
      const bytes = await blobs.read(communication.archiveSha256!).catch((error: Error) => {
        retry.set(communication.id, error);
      });
      if (!bytes) return undefined;
      return {
        ...entry,
        bytes,
        language: communication.language ?? languageOf(entry.item),
        archive: {
          sha256: communication.archiveSha256!,
          mediaType: communication.archiveMediaType!,
          size: communication.archiveSize!,
        },
        snapshotSha256: communication.snapshotSha256!,
        messageId: communication.providerMessageId,
        detail: handOverNote(entry, communication.status === 'handing_over'),
      };
    }),
  );
  return found.filter((entry) => entry !== undefined);
}

/** What the handing_over attempt says; `again`: this very copy's last hand-over was interrupted. */
function handOverNote(entry: Routed, again: boolean) {
  const { communication } = entry.item;
  if (again)
    return 'Handing over again: the previous hand-over was interrupted and may have reached the channel; the identical copy is re-sent';
  // Routed elsewhere than an interrupted hand-over went: that one may have arrived too.
  const interrupted =
    communication.status === 'handing_over'
      ? `; the interrupted ${communication.channel} hand-over before it may have reached the customer`
      : '';
  return `Handing over to ${entry.channel}${interrupted}`;
}
