import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { apiTypes, apiTypesFile } from '../../scripts/api-types.js';
import { startTestApp } from '../support/app.js';

const t = await startTestApp();
afterAll(() => t.close());

type Schema = { properties: Record<string, unknown> };
const document = t.server.swagger() as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: Schema }> }> }>>;
};
const responseFields = (path: string, method = 'get') =>
  Object.keys(document.paths[path]![method]!.responses['200']!.content['application/json']!.schema.properties).sort();

describe("the web app's API types", () => {
  it('are generated from the OpenAPI document the server builds now (run `npm run api:types` after a schema change)', async () => {
    expect(fs.readFileSync(apiTypesFile, 'utf8')).toBe(await apiTypes(document));
  });
});

describe('response schemas picked from the tables', () => {
  it('answer the columns they pick and keep the internal ones inside', () => {
    const communication = responseFields('/api/communications/{id}');
    expect(communication).toEqual(
      expect.arrayContaining(['customerId', 'templateVersionId', 'failedChannels', 'costMillicents', 'attempts']),
    );
    for (const internal of ['idempotencyKey', 'requestHash', 'data', 'updatedAt'])
      expect(communication).not.toContain(internal);
    expect(responseFields('/api/jobs/{id}')).not.toContain('lockedUntil');
    expect(responseFields('/api/batch-runs/{id}')).not.toContain('cursor');
  });
});
