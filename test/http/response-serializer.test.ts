import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { responseSerializerCompiler } from '../../src/http/response-serializer.js';

const app = Fastify();
app.setSerializerCompiler(responseSerializerCompiler);
installErrorHandler(app);
const plain = z.object({ id: z.string(), at: z.date(), teams: z.array(z.object({ name: z.string() })) });
const route = (url: string, schema: z.ZodType, data: unknown) =>
  app.get(url, { schema: { response: { 200: schema } } }, async () => data);
route('/plain', plain, {
  id: 'u1',
  at: new Date('2026-01-02T03:04:05Z'),
  passwordHash: 'secret',
  teams: [{ name: 'A', internal: 1 }],
});
route('/wrong', plain, { id: 7, at: new Date(), teams: [] });
// A default reads differently both ways: encoding leaves it out, so a missing value is an error, as it always was.
route('/default', z.object({ id: z.string().default('none') }), {});

beforeAll(() => app.ready());
afterAll(() => app.close());

describe('response schemas decide what leaves the server', () => {
  it('drops every field the schema does not list, nested ones too, and writes dates as ISO text', async () => {
    const response = await app.inject('/plain');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 'u1', at: '2026-01-02T03:04:05.000Z', teams: [{ name: 'A' }] });
  });

  it('answers 500 rather than send a value of the wrong type', async () => {
    expect((await app.inject('/wrong')).statusCode).toBe(500);
  });

  it('encodes a schema that reads differently both ways, as the zod serializer does', async () => {
    expect((await app.inject('/default')).statusCode).toBe(500);
  });
});
