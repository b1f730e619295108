import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { studio } from '../templates/support.js';

const BUDGET_MS = 2_000;

/** About 16 million empty iterations: under Liquid's own per-field limits, but seconds of work in every field. */
const nestedLoop = (n: string) => `{% for a in (1..${n}) %}{% for b in (1..${n}) %}{% endfor %}{% endfor %}`;

let t: TestApp;
let author: TestClient;
let reviewer: TestClient;

beforeAll(async () => {
  t = await startTestApp({ config: { renderBudgetMs: BUDGET_MS, renderThreads: 1 }, workerPollMs: 50 });
  ({ author, reviewer } = await studio(t));
  t.app.worker.start();
});
afterAll(() => t.close());

describe('the render budget', () => {
  it('stops a preview that runs past it with a clear error, and the server answers meanwhile', async () => {
    const loop = nestedLoop('4000');
    const variants = {
      en: {
        email: { subject: loop, body: loop, format: 'markdown' },
        sms: { text: loop },
        letter: { body: loop },
        fax: { body: loop },
        portal: { subject: loop, body: loop },
      },
    };
    let previewAnswered = false;
    const preview = author.post('/api/template-previews', { variants, defaultLanguage: 'en' }).finally(() => {
      previewAnswered = true;
    });

    // Once a render thread works on the preview, the thread that serves HTTP is free again.
    const anyone = t.client();
    await waitFor(
      () => anyone.get('/metrics').then((response) => response.text),
      (metrics) => /^tidings_render_threads_busy 1$/m.test(metrics),
    );
    const health = await anyone.get('/healthz');
    expect(health.status).toBe(200);
    expect(previewAnswered).toBe(false);

    const response = await preview;
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'rendering.budget_exceeded',
      message: expect.stringContaining('budget of 2 s'),
    });
  });

  it('keeps rendering after a thread was stopped: the next preview renders', async () => {
    const next = await author.post('/api/template-previews', {
      variants: { en: { sms: { text: 'Hello {{ customer.givenName }}' } } },
      defaultLanguage: 'en',
    });
    expect(next.status, next.text).toBe(200);
    expect(next.body.previews[0].channels[0].preview.text).toBe('Hello Erika');
  });

  it('fails a delivered item whose template runs past it, for good and with the reason', async () => {
    // The loop's size comes from the send's data: the samples check and publish, a customer's data runs away.
    const loop = nestedLoop('data.n');
    const created = await author.post('/api/templates', {
      key: 'runaway',
      name: 'Runaway loop',
      purpose: 'service',
      defaultLanguage: 'en',
      variants: { en: { email: { subject: `Numbers${loop}`, body: `${loop}Your numbers.`, format: 'markdown' } } },
      dataSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      sampleData: { n: 1 },
    });
    expect(created.status, created.text).toBe(201);
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const) {
      const moved = await client.post('/api/templates/runaway/versions/1/workflow', { action });
      expect(moved.status, moved.text).toBe(200);
    }

    const agent = await t.signedIn(['agent']);
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Ada',
      familyName: 'Lovelace',
      timeZone: 'UTC',
      emails: ['ada@example.test'],
      channelPreferences: ['email'],
    });
    expect(customer.status, customer.text).toBe(201);
    const sent = await agent.post('/api/communications', {
      template: 'runaway',
      customerId: customer.body.id,
      data: { n: 4000 },
    });
    expect(sent.status, sent.text).toBe(201);

    const settled = await waitFor(
      () => agent.get(`/api/communications/${sent.body.id}`).then((response) => response.body),
      (communication) => ['sent', 'failed', 'suppressed'].includes(communication.status),
    );
    expect(settled.status).toBe('failed');
    expect(settled.statusReason).toMatch(/^Rendering took longer than its budget of 2 s/);
    expect(settled.attempts).toContainEqual(
      expect.objectContaining({ outcome: 'failed_permanently', channel: 'email', detail: settled.statusReason }),
    );
    expect(settled.archiveSha256 ?? null).toBeNull();
  });
});
