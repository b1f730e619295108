import { describe, expect, it } from 'vitest';
import {
  autoReplyReason,
  parseInboundMail,
  readDeliveryStatus,
  ticketNumberIn,
  UnparseableMail,
} from '../../src/inbound/inbound-mail.js';
import { acceptsRecipient } from '../../src/inbound/smtp-listener.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { deliveryStatusNotification } from './support.js';

const headers = (entries: Record<string, string>) =>
  Object.entries(entries).map(([key, value]) => ({ key: key.toLowerCase(), originalKey: key, value }));

describe('automatic replies', () => {
  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ 'Auto-Submitted': 'auto-generated; type=vacation' }, 'Auto-Submitted: auto-generated; type=vacation'],
    [{ Precedence: 'bulk' }, 'Precedence: bulk'],
    [{ Precedence: 'junk' }, 'Precedence: junk'],
    [{ Precedence: 'auto_reply' }, 'Precedence: auto_reply'],
    [{ Precedence: 'list' }, 'Precedence: list'],
    [{ 'X-Autoreply': 'yes' }, 'x-autoreply header'],
    [{ 'X-Autorespond': 'vacation' }, 'x-autorespond header'],
    [{ 'X-Auto-Response-Suppress': 'OOF, AutoReply' }, 'X-Auto-Response-Suppress: oof, autoreply'],
  ])('%o is automatic', (fields, reason) => {
    expect(autoReplyReason(headers(fields), 'someone@example.test')).toBe(reason);
  });

  it.each([
    [{ 'Auto-Submitted': 'no' }],
    [{ Precedence: 'first-class' }],
    [{ 'X-Auto-Response-Suppress': 'DR' }],
    [{ Subject: 'Out of office? No, I am here' }],
  ])('%o is written by a person', (fields) => {
    expect(autoReplyReason(headers(fields), 'someone@example.test')).toBeNull();
  });

  it('counts a null reverse path as automatic, and a missing envelope (a file) as not', () => {
    expect(autoReplyReason([], '')).toBe('an empty envelope sender');
    expect(autoReplyReason([], null)).toBeNull();
  });
});

describe('the ticket token in a subject', () => {
  it.each([
    ['Re: [Ticket #1042] Your bill', 1042],
    ['AW: AW: [ticket #7] Zählerstand', 7],
    ['[Ticket #12]', 12],
    ['Ticket 1042', null],
    ['[Ticket #] nothing', null],
    ['#1042', null],
  ])('%s names %s', (subject, number) => {
    expect(ticketNumberIn(subject)).toBe(number);
  });
});

describe('recipients the listener takes mail for', () => {
  const accepted = ['support.example.test', 'help@example.test'];
  it.each([
    ['anyone@support.example.test', true],
    ['Anyone@SUPPORT.example.test', true],
    ['help@example.test', true],
    ['sales@example.test', false],
    ['anyone@sub.support.example.test', false],
    ['support.example.test', false],
  ])('%s: %s', (address, taken) => {
    expect(acceptsRecipient(accepted, address)).toBe(taken);
  });
});

describe('delivery status notifications (RFC 3464)', () => {
  it.each([
    ['failed', '5.1.1', 'hard'],
    ['failed', '4.2.2', 'soft'],
    ['delayed', '4.4.7', 'soft'],
    ['delivered', '2.0.0', 'none'],
    ['relayed', '2.0.0', 'none'],
  ])('Action %s, Status %s is %s', (action, status, kind) => {
    const text = `Reporting-MTA: dns; mx.example.test\n\nFinal-Recipient: rfc822; ann@example.test\nAction: ${action}\nStatus: ${status}\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n`;
    expect(readDeliveryStatus(text)).toEqual({
      kind,
      recipient: 'ann@example.test',
      diagnostic: '550 5.1.1 user unknown',
    });
  });

  it('takes the worst recipient, and reads folded lines', () => {
    const text = [
      'Reporting-MTA: dns; mx.example.test',
      '',
      'Final-Recipient: rfc822; ok@example.test',
      'Action: delayed',
      'Status: 4.4.7',
      '',
      'Final-Recipient: rfc822;',
      ' gone@example.test',
      'Action: failed',
      'Status: 5.1.1',
    ].join('\r\n');
    expect(readDeliveryStatus(text)).toEqual({
      kind: 'hard',
      recipient: 'gone@example.test',
      diagnostic: 'status 5.1.1',
    });
  });

  it('finds the original Message-ID in the returned message and is never an automatic reply', async () => {
    const mail = await parseInboundMail(
      deliveryStatusNotification('<original-1@tidings.test>', 'ann@example.test'),
      '',
    );
    expect(mail.report).toEqual({
      kind: 'hard',
      originalMessageId: '<original-1@tidings.test>',
      recipient: 'ann@example.test',
      diagnostic: '550 5.1.1 <ann@example.test>: mailbox unknown',
    });
    expect(mail.autoReply).toBeNull();
    expect(mail.attachments).toEqual([]);
  });
});

describe('parsing', () => {
  it('reads the sender, the subject, the text of an HTML-only mail and what it answers, nearest first', async () => {
    const raw = Buffer.from(
      [
        'From: "Ann Example" <Ann@Example.test>',
        'To: help@support.example.test',
        'Subject: =?UTF-8?Q?Z=C3=A4hlerstand?=',
        'Message-ID: <m3@example.test>',
        'In-Reply-To: <m2@tidings.test>',
        'References: <m1@tidings.test> <m2@tidings.test>',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Hello,</p><p>my reading is <b>4711</b>.</p>',
      ].join('\r\n'),
    );
    const mail = await parseInboundMail(raw);
    expect(mail).toMatchObject({
      messageId: '<m3@example.test>',
      from: { address: 'ann@example.test', name: 'Ann Example' },
      subject: 'Zählerstand',
      answers: ['<m2@tidings.test>', '<m1@tidings.test>'],
      autoReply: null,
      report: null,
    });
    expect(mail.text).toBe('Hello,\nmy reading is 4711.');
  });

  it('refuses what has no sender to answer', async () => {
    await expect(parseInboundMail(Buffer.from('this is not a message at all\r\n'))).rejects.toThrow(UnparseableMail);
    await expect(parseInboundMail(Buffer.from('Subject: hi\r\nFrom: nobody\r\n\r\nbody'))).rejects.toThrow(
      /no From address/,
    );
  });
});

describe('the inbound configuration', () => {
  it('is off without a port, and needs the accepted domains with one', () => {
    expect(loadConfig({}).inbound).toEqual({
      listen: undefined,
      accepted: [],
      maxBytes: 10_485_760,
      scanAddresses: [],
    });
    expect(() => loadConfig({ TIDINGS_INBOUND_SMTP_PORT: '2525' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_INBOUND_SMTP_PORT: '2525' })).toThrow(/TIDINGS_INBOUND_ADDRESSES: is required/);
    expect(
      loadConfig({
        TIDINGS_INBOUND_SMTP_PORT: '2525',
        TIDINGS_INBOUND_ADDRESSES: 'Support.Example.com, help@example.com',
        TIDINGS_INBOUND_MAX_BYTES: '5000',
      }).inbound,
    ).toEqual({
      listen: { port: 2525, host: '0.0.0.0' },
      accepted: ['support.example.com', 'help@example.com'],
      maxBytes: 5000,
      scanAddresses: [],
    });
    expect(() => loadConfig({ TIDINGS_INBOUND_SMTP_PORT: 'smtp' })).toThrow(/TIDINGS_INBOUND_SMTP_PORT/);
  });
});
