import { z } from 'zod';
import type { EmailChannel } from '../channels/email.channel.js';
import { defineJob, type JobDefinition } from '../jobs/job-handlers.js';
import { composeEmailMessage } from '../rendering/mime.js';
import type { Brand } from '../rendering/index.js';
import type { RecordCommentsService } from './comments.service.js';

export const MENTION_EMAIL_JOB = 'comments.mention_email';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The email that tells a colleague of a mention, for those whose settings ask for it: sent by a job
 * after the comment is committed, through the email channel, from the brand's sender. A comment
 * deleted (or the mention edited away) before the job runs sends nothing.
 */
export function mentionEmailJobs(deps: {
  comments: Pick<RecordCommentsService, 'forMentionEmail'>;
  channel: Pick<EmailChannel, 'send'>;
  brand: () => Promise<Pick<Brand, 'senders'>>;
  publicUrl: string;
}): JobDefinition[] {
  return [
    defineJob({
      kind: MENTION_EMAIL_JOB,
      payload: z.object({ commentId: z.uuid(), userId: z.uuid() }),
      async run({ commentId, userId }) {
        const mention = await deps.comments.forMentionEmail(commentId, userId);
        if (!mention) return;
        const { senders } = await deps.brand();
        const link = `${deps.publicUrl}${mention.subjectPath}`;
        const subject = `${mention.authorName} mentioned you on ${mention.subjectLabel}`;
        const messageId = `mention-${commentId}-${userId}@${senders.emailFrom.split('@')[1] ?? 'tidings.local'}`;
        const raw = await composeEmailMessage(
          {
            subject,
            text: `${subject}:\n\n${mention.body}\n\nOpen it in Tidings: ${link}\n`,
            html: `<p>${escapeHtml(subject)}:</p><blockquote style="white-space:pre-wrap">${escapeHtml(mention.body)}</blockquote><p><a href="${escapeHtml(link)}">Open it in Tidings</a></p>`,
          },
          {
            from: { name: senders.emailName, address: senders.emailFrom },
            to: mention.recipientEmail,
            messageId,
          },
        );
        await deps.channel.send({ raw, from: senders.emailFrom, to: mention.recipientEmail, messageId });
      },
    }),
  ];
}
