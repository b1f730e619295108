import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import nodemailer from 'nodemailer';
import { tidingsArgs } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

/** A bounce as a receiving server sends it: multipart/report with the status and the returned headers. */
export function deliveryStatusNotification(originalMessageId: string, recipient: string, action = 'failed'): Buffer {
  const boundary = 'dsn-boundary-42';
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      'To: notices@tidings.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-' + originalMessageId.slice(1, -1) + '@mx.example.test>',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Your message could not be delivered to one or more recipients.',
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      'Arrival-Date: Mon, 23 Nov 2026 09:00:00 +0000',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      `Action: ${action}`,
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: mailbox unknown`,
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      'From: Tidings <notices@tidings.test>',
      `To: ${recipient}`,
      'Subject: Meter reading due',
      `Message-ID: ${originalMessageId}`,
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** A client that speaks SMTP to the listener as another mail server would. */
export function smtpClient(port: number) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false });
}

/**
 * `tidings start`, the real command, with the inbound listener on the given port; resolves once it
 * is up, with the process and its HTTP address. `children` collects it so that a test can kill
 * whatever is left.
 */
export async function startTidings(
  environment: Record<string, string>,
  children: Set<ChildProcess>,
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, tidingsArgs('start'), {
    env: {
      ...process.env,
      TIDINGS_DEMO: '0',
      TIDINGS_ADMIN_PASSWORD: CRASH_ADMIN_PASSWORD,
      PORT: String(port),
      TIDINGS_INBOUND_SMTP_HOST: '127.0.0.1',
      TIDINGS_INBOUND_ADDRESSES: 'support.example.test',
      LOG_LEVEL: 'info',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tidings is up')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`tidings start exited (${code ?? signal}):\n${output}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

export const CRASH_ADMIN_PASSWORD = 'inbound-crash-test';

/**
 * Sends messages to the listener one after another and SIGKILLs the process the moment the last
 * one's 250 arrives; resolves once it is gone, with the Message-IDs sent.
 */
export async function sendThenKill(child: ChildProcess, smtpPort: number, count: number): Promise<string[]> {
  const messageIds = Array.from({ length: count }, (_, index) => `<crash-${index}-${Date.now()}@example.test>`);
  const exited = once(child, 'exit');
  for (const [index, messageId] of messageIds.entries()) {
    const info = await smtpClient(smtpPort).sendMail({
      from: `crash${index}@example.test`,
      to: 'help@support.example.test',
      subject: `Crash ${index}`,
      text: `Message ${index}`,
      messageId,
    });
    if (!/^250 /.test(info.response)) throw new Error(`not accepted: ${info.response}`);
    if (index === count - 1) child.kill('SIGKILL');
  }
  const [, signal] = (await exited) as [number | null, string | null];
  if (signal !== 'SIGKILL') throw new Error(`the listener ended by ${signal ?? 'exit'}, not by the kill`);
  return messageIds;
}
