import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let paths: Record<string, Record<string, any>>;

beforeAll(async () => {
  t = await startTestApp();
  paths = (await t.client().get('/api/openapi.json')).body.paths;
});
afterAll(() => t.close());

const fragmentSyntax = "{% fragment 'legal-disclosure' %}";

describe('the OpenAPI document tells an integrator what the README does not need to', () => {
  it('explains the fragment syntax on every body that takes template or fragment sources', () => {
    for (const [path, method] of [
      ['/api/templates', 'post'],
      ['/api/templates/{template}/versions', 'post'],
      ['/api/template-previews', 'post'],
      ['/api/fragments', 'post'],
      ['/api/fragments/{fragment}/versions', 'post'],
    ] as const) {
      expect(JSON.stringify(paths[path]![method].requestBody), `${method} ${path}`).toContain(fragmentSyntax);
    }
  });

  it('types the preview response, the PDF of letters and faxes included', () => {
    for (const path of ['/api/template-previews', '/api/templates/{template}/versions/{number}/preview']) {
      const body = paths[path]!.post.responses['200'].content['application/json'].schema;
      const channels = body.properties.previews.items.properties.channels.items.properties;
      const variants: any[] = channels.preview.oneOf ?? channels.preview.anyOf;
      const byChannel = Object.fromEntries(
        variants.flatMap((variant) =>
          (variant.properties.channel.enum as string[]).map((channel) => [channel, variant]),
        ),
      );
      expect(Object.keys(byChannel).sort()).toEqual(['email', 'fax', 'letter', 'portal', 'sms']);
      expect(byChannel.letter.required).toEqual(expect.arrayContaining(['pages', 'pdfBase64']));
      expect(byChannel.fax.properties.pdfBase64.description).toMatch(/PDF.*base64/);
      expect(byChannel.email.required).toEqual(expect.arrayContaining(['subject', 'html', 'text']));
      expect(byChannel.sms.required).toEqual(expect.arrayContaining(['text', 'encoding', 'characters', 'segments']));
      expect(Object.keys(channels.error.properties)).toEqual(['field', 'message', 'line', 'column']);
    }
  });

  it('documents the CSV upload as a file in the request body', () => {
    const upload = paths['/api/customer-imports']!.post.requestBody;
    expect(upload.required).toBe(true);
    expect(upload.content['text/csv'].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(upload.content['text/csv'].schema.description).toMatch(/UTF-8.*header row/);
    const vcards = paths['/api/customers/import.vcf']!.post.requestBody;
    expect(vcards.content['text/vcard'].schema).toMatchObject({ type: 'string', format: 'binary' });
  });
});
