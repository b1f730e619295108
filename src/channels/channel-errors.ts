/**
 * A channel refused the item for good (bad address, 5xx): routing falls back to the next channel.
 * `addressRefused`: the refusal was about the recipient's address (no such mailbox or number), so the
 * address is never used again; otherwise the message or our setup was refused and the address stays.
 */
export class PermanentChannelFailure extends Error {
  constructor(
    message: string,
    readonly response: Record<string, unknown> = {},
    readonly addressRefused = false,
  ) {
    super(message);
  }
}

/** The channel could not take the item now (timeout, 4xx SMTP, 5xx gateway): the job retries with backoff. */
export class TemporaryChannelFailure extends Error {
  constructor(
    message: string,
    readonly response: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type HandOver = { transport: string; providerMessageId?: string; response: Record<string, unknown> };
