import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { studio, tariffNotice } from './support.js';

let t: TestApp;
let author: TestClient;
let reviewer: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  ({ author, reviewer } = await studio(t));
});
afterAll(() => t.close());

const act = (client: TestClient, key: string, number: number, action: string, comment?: string) =>
  client.post(`/api/templates/${key}/versions/${number}/workflow`, { action, ...(comment ? { comment } : {}) });

describe('template versions and review', () => {
  it('goes draft → in review → changes requested → new version → approved → published, with comments', async () => {
    const created = await author.post('/api/templates', tariffNotice);
    expect(created.status).toBe(201);
    expect(created.body.version).toMatchObject({ number: 1, status: 'draft' });

    expect((await act(author, 'tariff-change', 1, 'submit')).body.status).toBe('in_review');
    const sentBack = await act(
      reviewer,
      'tariff-change',
      1,
      'request_changes',
      'Please mention the cancellation right in the SMS too.',
    );
    expect(sentBack.body.status).toBe('changes_requested');
    const thread = await author.get('/api/templates/tariff-change/versions/1/comments');
    expect(thread.body.comments[0]).toMatchObject({
      body: 'Please mention the cancellation right in the SMS too.',
      author: expect.stringContaining('@'),
    });
    const reply = await author.post('/api/templates/tariff-change/versions/1/comments', {
      body: 'Done in version 2.',
      parentId: thread.body.comments[0].id,
    });
    expect(reply.status).toBe(201);
    expect(
      (await reviewer.patch(`/api/comments/${thread.body.comments[0].id}`, { resolved: true })).body.resolvedAt,
    ).not.toBeNull();

    const revised = structuredClone(tariffNotice.variants);
    revised.en.sms.text += ' You may cancel within 14 days.';
    const v2 = await author.post('/api/templates/tariff-change/versions', {
      variants: revised,
      defaultLanguage: 'en',
      dataSchema: tariffNotice.dataSchema,
      sampleData: tariffNotice.sampleData,
      changeNote: 'Cancellation right in SMS',
    });
    expect(v2.body).toMatchObject({ number: 2, status: 'draft' });

    const diff = await reviewer.get('/api/templates/tariff-change/diff?from=1&to=2');
    expect(diff.body.fields).toEqual([
      {
        field: 'en.sms.text',
        changes: expect.arrayContaining([
          expect.objectContaining({ added: true, value: expect.stringContaining('You may cancel within 14 days.') }),
        ]),
      },
    ]);

    await act(author, 'tariff-change', 2, 'submit');
    expect((await act(reviewer, 'tariff-change', 2, 'approve')).body.status).toBe('approved');
    const published = await act(author, 'tariff-change', 2, 'publish');
    expect(published.body).toMatchObject({
      status: 'published',
      pinnedFragments: { 'legal-disclosure': expect.any(String) },
    });

    const admin = await t.signedIn(['admin']);
    const trail = await admin.get(`/api/audit?entityType=template&entityId=${created.body.template.id}&limit=20`);
    expect(trail.body.events.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining([
        'template.created',
        'template.submit',
        'template.request_changes',
        'template.version_saved',
        'template.approve',
        'template.publish',
      ]),
    );
  });

  it('keeps four eyes: the author of a version cannot approve it, even as a reviewer', async () => {
    const both = await t.signedIn(['author', 'reviewer']);
    await both.post('/api/templates', { ...tariffNotice, key: 'four-eyes' });
    await act(both, 'four-eyes', 1, 'submit');
    const own = await act(both, 'four-eyes', 1, 'approve');
    expect(own.status).toBe(403);
    expect(own.body.error).toBe('version.four_eyes');
    expect((await act(reviewer, 'four-eyes', 1, 'approve')).status).toBe(200);
  });

  it('refuses actions out of order and by the wrong role', async () => {
    await author.post('/api/templates', { ...tariffNotice, key: 'out-of-order' });
    expect((await act(author, 'out-of-order', 1, 'publish')).body.error).toBe('version.wrong_status');
    await act(author, 'out-of-order', 1, 'submit');
    expect((await act(author, 'out-of-order', 1, 'approve')).status).toBe(403);
    const agent = await t.signedIn(['agent']);
    expect((await agent.post('/api/templates', { ...tariffNotice, key: 'by-agent' })).status).toBe(403);
  });

  it('never changes a published version; publishing a new one retires it, and only the published one is sendable', async () => {
    await author.post('/api/templates', { ...tariffNotice, key: 'lifecycle' });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const)
      await act(client, 'lifecycle', 1, action);
    expect((await act(author, 'lifecycle', 1, 'submit')).status).toBe(409);

    await author.post('/api/templates/lifecycle/versions', {
      variants: tariffNotice.variants,
      defaultLanguage: 'en',
      sampleData: tariffNotice.sampleData,
      changeNote: 'v2',
    });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const)
      await act(client, 'lifecycle', 2, action);
    const versions = (await author.get('/api/templates/lifecycle')).body.versions.map(
      (v: { number: number; status: string }) => [v.number, v.status],
    );
    expect(versions).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    const sendable = await t.app.services.templates.sendable(t.app.db, 'lifecycle');
    expect(sendable.version.number).toBe(2);
    expect(sendable.fragments['legal-disclosure']).toContain('cancel within 14 days');

    await act(author, 'lifecycle', 2, 'retire');
    await expect(t.app.services.templates.sendable(t.app.db, 'lifecycle')).rejects.toMatchObject({
      code: 'template.not_published',
    });
  });

  it('pins fragment versions at publish: a later fragment change does not alter the published template', async () => {
    await author.post('/api/templates', { ...tariffNotice, key: 'pinned' });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const)
      await act(client, 'pinned', 1, action);
    await author.post('/api/fragments/legal-disclosure/versions', { body: 'A completely new disclosure.' });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as const) {
      expect((await client.post('/api/fragments/legal-disclosure/versions/2/workflow', { action })).status).toBe(200);
    }
    const sendable = await t.app.services.templates.sendable(t.app.db, 'pinned');
    expect(sendable.fragments['legal-disclosure']).toContain('cancel within 14 days');
  });

  it('refuses to publish a template whose fragment was never published', async () => {
    await author.post('/api/fragments', {
      key: 'draft-signature',
      name: 'Signature',
      kind: 'signature',
      body: 'Kind regards',
    });
    const variants = { en: { portal: { subject: 'Hello', body: "Hi.\n\n{% fragment 'draft-signature' %}" } } };
    await author.post('/api/templates', {
      key: 'unpublished-fragment',
      name: 'Needs a draft fragment',
      purpose: 'service',
      defaultLanguage: 'en',
      variants,
    });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
    ] as const)
      await act(client, 'unpublished-fragment', 1, action);
    const publish = await act(author, 'unpublished-fragment', 1, 'publish');
    expect(publish.status).toBe(409);
    expect(publish.body.details).toEqual([{ path: 'fragment:draft-signature', message: 'has no published version' }]);
  });
});
