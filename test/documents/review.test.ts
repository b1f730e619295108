import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { multipart, pdfBytes, sendRaw } from './upload.js';

type Client = Awaited<ReturnType<TestApp['signedIn']>>;

let t: TestApp;
let author: Client;
let rita: Client;
let rob: Client;
let outsider: Client;
let folderId: string;

beforeAll(async () => {
  t = await startTestApp();
  // A manager writes documents and may review others', so refusing their own approval is the rule at work.
  author = await t.signedIn(['manager']);
  rita = await t.signedIn(['reviewer']);
  rob = await t.signedIn(['reviewer']);
  outsider = await t.signedIn(['reviewer']);
  folderId = (await author.post('/api/document-folders', { name: 'Policies', parentId: null })).body.id;
});
afterAll(() => t.close());

const file = () => ({ filename: 'policy.pdf', mediaType: 'application/pdf', bytes: pdfBytes() });

async function newDocument(title: string) {
  const uploaded = await sendRaw(author, 'POST', '/api/documents', { form: multipart({ folderId, title }, file()) });
  expect(uploaded.status).toBe(201);
  return uploaded.body.id as string;
}

const reviewOf = async (id: string, as: Client = author) => (await as.get(`/api/documents/${id}/review`)).body;
const versionOf = (review: { versions: { label: string }[] }, label: string) =>
  review.versions.find((version) => version.label === label) as any;
const base = (id: string, label = '1.0') => `/api/documents/${id}/versions/${label}`;
const notices = async (client: Client) => (await client.get('/api/notifications')).body.notifications as any[];

describe('review by named reviewers', () => {
  let id: string;

  it('submits the current version to named reviewers, who are notified and see it in My reviews', async () => {
    id = await newDocument('Travel policy');
    expect(versionOf(await reviewOf(id), '1.0')).toMatchObject({ status: 'draft', round: null, actions: ['submit'] });
    const submitted = await author.post(`${base(id)}/review`, {
      reviewerIds: [rita.user.id, rob.user.id],
      message: 'Please check the per-diem rates',
    });
    expect(submitted.status).toBe(200);
    const version = versionOf(submitted.body, '1.0');
    expect(version).toMatchObject({ status: 'in_review', actions: [] });
    expect(version.round).toMatchObject({ round: 1, message: 'Please check the per-diem rates', role: null });
    expect(version.round.waitingFor.map((p: { id: string }) => p.id).sort()).toEqual(
      [rita.user.id, rob.user.id].sort(),
    );

    const [notice] = await notices(rita);
    expect(notice).toMatchObject({ kind: 'document.review_requested', subjectType: 'document', subjectId: id });
    expect(notice.title).toContain('Travel policy');
    expect((await notices(outsider)).length).toBe(0);

    const mine = (await rita.get('/api/document-reviews/mine')).body.reviews;
    expect(mine).toEqual([
      expect.objectContaining({ document: { id, title: 'Travel policy' }, version: '1.0', round: 1 }),
    ]);
    expect((await outsider.get('/api/document-reviews/mine')).body.reviews).toEqual([]);
    expect(versionOf(await reviewOf(id, rita), '1.0').actions).toEqual(['approve', 'reject']);
  });

  it('refuses the author approving their own version, and anyone not asked', async () => {
    const own = await author.post(`${base(id)}/review/approve`, { comment: 'Looks fine to me' });
    expect(own.status).toBe(403);
    expect(own.body.error).toBe('review.own_version');
    const stranger = await outsider.post(`${base(id)}/review/approve`, {});
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toBe('review.not_reviewer');
  });

  it('stays in review until every named reviewer has approved; only then can it be published', async () => {
    const first = await rita.post(`${base(id)}/review/approve`, { comment: 'Rates are right' });
    expect(first.status).toBe(200);
    expect(versionOf(first.body, '1.0')).toMatchObject({ status: 'in_review' });
    expect(versionOf(first.body, '1.0').round.waitingFor.map((p: { id: string }) => p.id)).toEqual([rob.user.id]);
    expect((await rita.post(`${base(id)}/review/approve`, {})).body.error).toBe('review.already_decided');
    expect((await rita.get('/api/document-reviews/mine')).body.reviews).toEqual([]);

    const early = await author.post(`${base(id)}/publish`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('review.wrong_status');
    expect((await notices(author)).filter((n) => n.kind === 'document.review_approved')).toHaveLength(0);

    const second = await rob.post(`${base(id)}/review/approve`, { comment: 'Approved' });
    expect(versionOf(second.body, '1.0')).toMatchObject({ status: 'approved' });
    expect((await notices(author)).filter((n) => n.kind === 'document.review_approved')).toHaveLength(1);
    expect(versionOf(await reviewOf(id), '1.0').actions).toEqual(['publish']);

    const published = await author.post(`${base(id)}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.publishedVersion).toBe('1.0');
    expect(versionOf(published.body, '1.0').status).toBe('published');
    expect(
      published.body.history.map((event: { action: string; comment: string }) => [event.action, event.comment]),
    ).toEqual([
      ['published', ''],
      ['approved', 'Approved'],
      ['approved', 'Rates are right'],
      ['submitted', 'Please check the per-diem rates'],
    ]);
    const audit = await t
      .signedIn(['admin'])
      .then((admin) => admin.get(`/api/audit?entityType=document&entityId=${id}`));
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual(
      expect.arrayContaining(['document.review_submitted', 'document.review_approved', 'document.version_published']),
    );
  });

  it('starts a new version as a draft whose review begins afresh, the published version staying published', async () => {
    const added = await sendRaw(author, 'POST', `/api/documents/${id}/versions`, {
      form: multipart({ comment: 'New rates for 2027' }, file()),
    });
    expect(added.status).toBe(201);
    let review = await reviewOf(id);
    expect(review.publishedVersion).toBe('1.0');
    expect(versionOf(review, '1.1')).toMatchObject({ status: 'draft', current: true, round: null });

    const old = await author.post(`${base(id)}/review`, { reviewerIds: [rita.user.id] });
    expect(old.status).toBe(409);

    await author.post(`${base(id, '1.1')}/review`, { reviewerIds: [rita.user.id, rob.user.id] });
    await rita.post(`${base(id, '1.1')}/review/approve`, {});
    review = await reviewOf(id);
    expect(versionOf(review, '1.1').status).toBe('in_review');
    expect(versionOf(review, '1.1').round.waitingFor.map((p: { id: string }) => p.id)).toEqual([rob.user.id]);
    await rob.post(`${base(id, '1.1')}/review/approve`, {});
    const republished = await author.post(`${base(id, '1.1')}/publish`);
    expect(republished.body.publishedVersion).toBe('1.1');
    expect(versionOf(republished.body, '1.0').status).toBe('superseded');
  });
});

describe('review by a role, and rejection', () => {
  let id: string;

  it('refuses submissions that ask no one who could review', async () => {
    id = await newDocument('Security policy');
    const both = await author.post(`${base(id)}/review`, { reviewerIds: [rita.user.id], role: 'reviewer' });
    expect(both.status).toBe(400);
    const self = await author.post(`${base(id)}/review`, { reviewerIds: [author.user.id] });
    expect(self.status).toBe(400);
    expect(self.body.details[0].path).toBe('body.reviewerIds.0');
    const agent = await t.signedIn(['agent']);
    const cannot = await author.post(`${base(id)}/review`, { reviewerIds: [agent.user.id] });
    expect(cannot.body.details[0]).toMatchObject({ path: 'body.reviewerIds.0' });
    const role = await author.post(`${base(id)}/review`, { role: 'viewer' });
    expect(role.body.details[0].path).toBe('body.role');
    expect(versionOf(await reviewOf(id), '1.0').status).toBe('draft');
  });

  it("sends a rejected version back with the reviewer's comment; a comment is required", async () => {
    await author.post(`${base(id)}/review`, { role: 'reviewer', message: 'For the audit' });
    expect((await notices(outsider)).some((n) => n.subjectId === id)).toBe(true);
    const silent = await rita.post(`${base(id)}/review/reject`, {});
    expect(silent.status).toBe(400);
    expect(silent.body.details[0].path).toBe('body.comment');
    const rejected = await rita.post(`${base(id)}/review/reject`, { comment: 'Section 3 contradicts the law' });
    expect(versionOf(rejected.body, '1.0')).toMatchObject({ status: 'rejected', actions: [] });
    expect(rejected.body.history[0]).toMatchObject({
      action: 'rejected',
      comment: 'Section 3 contradicts the law',
      actor: { id: rita.user.id },
    });
    expect((await author.post(`${base(id)}/publish`)).status).toBe(409);
    expect((await notices(author)).some((n) => n.kind === 'document.review_rejected' && n.subjectId === id)).toBe(true);
    expect((await rob.get('/api/document-reviews/mine')).body.reviews.some((r: any) => r.document.id === id)).toBe(
      false,
    );
  });

  it('takes a resubmission as a new round, approved by one member of the role', async () => {
    expect(versionOf(await reviewOf(id), '1.0').actions).toEqual(['submit']);
    const again = await author.post(`${base(id)}/review`, { role: 'reviewer', message: 'Section 3 fixed' });
    expect(versionOf(again.body, '1.0')).toMatchObject({ status: 'in_review', round: { round: 2 } });
    const approved = await rita.post(`${base(id)}/review/approve`, { comment: 'Now it is right' });
    expect(versionOf(approved.body, '1.0').status).toBe('approved');
    expect((await rob.post(`${base(id)}/review/approve`, {})).status).toBe(409);
    expect((await author.post(`${base(id)}/publish`)).body.publishedVersion).toBe('1.0');
  });

  it('lets only writers submit and publish, and only reviewers read My reviews', async () => {
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.get(`/api/documents/${id}/review`)).status).toBe(200);
    expect((await viewer.get('/api/document-reviews/mine')).status).toBe(403);
    const other = await newDocument('Leave policy');
    expect((await rita.post(`${base(other)}/review`, { role: 'reviewer' })).status).toBe(403);
  });
});
