import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import type { TestClient, TestResponse } from '../support/client.js';
import { portalSignIn, type PortalClient } from '../support/portal.js';

/**
 * Every operation the OpenAPI document lists, sent malformed values: NUL and lone surrogates in
 * each string, wrong types, arrays for scalars, unknown ids, malformed cursors, wrong content
 * types. None may answer 5xx. The operations come from the document, so a new route is swept
 * without anyone adding it here.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  additionalProperties?: boolean | JsonSchema;
};
type Parameter = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema };
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
};
type Request = {
  label: string;
  url: string;
  body?: unknown;
  payload?: string;
  headers?: Record<string, string>;
};

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const malformedCursors = [
  'zzz',
  '%00',
  b64('["a"]'),
  b64('{}'),
  b64('[null,null]'),
  b64('["not a time","not-an-id"]'),
  b64('["2026-01-01 00:00:00+00","not-an-id"]'),
  b64('[[1,2],{"a":1}]'),
  b64('not json'),
  '-1',
  '99999999999999999999999',
];

const t = await startTestApp();
afterAll(() => t.close());
let admin: TestClient = await t.signedIn(['admin']);
// Portal routes answer only a portal session: a customer signed in through the real flow sweeps them.
const portalEmail = 'sweep-customer@portal.example';
await admin.post('/api/customers', { kind: 'person', givenName: 'Sweep', emails: [portalEmail] });
let customer: PortalClient = await portalSignIn(t, portalEmail);
const isPortal = (operation: Operation) => operation.path.startsWith('/api/portal/');
const document = (await t.client().get('/api/openapi.json')).body as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
  >;
};

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    parameters: operation.parameters ?? [],
    body: operation.requestBody?.content['application/json']?.schema,
  })),
);

const first = (schema: JsonSchema) => {
  const options = schema.anyOf ?? schema.oneOf;
  return options ? (options.find((option) => option.type !== 'null') ?? options[0]!) : schema;
};
const typeOf = (schema: JsonSchema) => [first(schema).type].flat()[0];

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return 'sweep@example.test';
    case 'date-time':
      return '2026-01-01T00:00:00.000Z';
    case 'date':
      return '2026-01-01';
    case 'uri':
      return 'https://example.test/';
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const candidate = ['sweep', 'en', 'abc', 'x1', 'sweep-key', 'sweep_key', '12:00', '#336699', 'A'].find((value) =>
      pattern.test(value),
    );
    if (candidate) return candidate;
  }
  return 'sweep'.padEnd(schema.minLength ?? 0, 'x');
}

/** A value the schema accepts (as far as its shape tells), with every optional property filled in. */
function sample(input: JsonSchema, depth = 0): unknown {
  const schema = first(input);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.allOf) return sample(schema.allOf[0]!, depth);
  switch (typeOf(schema)) {
    case 'object': {
      if (depth > 6) return {};
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, property]) => [key, sample(property, depth + 1)]),
      );
    }
    case 'array':
      if (schema.prefixItems) return schema.prefixItems.map((item) => sample(item, depth + 1));
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}, depth + 1));
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return schema.minimum !== undefined ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return true;
    default:
      return schema.default ?? '2026-01-01T00:00:00.000Z';
  }
}

type Leaf = { path: (string | number)[]; schema: JsonSchema; value: unknown };

/** Every value in a sample, with the schema that describes it (records get a key of their own). */
function leaves(schema: JsonSchema, value: unknown, path: (string | number)[] = []): Leaf[] {
  const own: Leaf = { path, schema, value };
  const shape = first(schema);
  if (Array.isArray(value)) {
    const items = value.flatMap((item, index) =>
      leaves(shape.prefixItems?.[index] ?? shape.items ?? {}, item, [...path, index]),
    );
    return path.length ? [own, ...items] : items;
  }
  if (value && typeof value === 'object') {
    const properties = Object.entries(value).flatMap(([key, item]) =>
      leaves(shape.properties?.[key] ?? {}, item, [...path, key]),
    );
    return path.length ? [own, ...properties] : properties;
  }
  return [own];
}

function withValue(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function wrongTypes(schema: JsonSchema, value: unknown): unknown[] {
  const type = typeOf(schema);
  const wrong: unknown[] = [[value, value], { value }, null];
  if (type !== 'string') wrong.push('sweep');
  if (type !== 'number' && type !== 'integer') wrong.push(12345, -1, 1e308);
  if (type !== 'boolean') wrong.push(true);
  if (type === 'string') wrong.push('x'.repeat(10_000));
  return wrong;
}

function pathValue(parameter: Parameter): string {
  const type = typeOf(parameter.schema);
  if (type === 'integer' || type === 'number') return '987654';
  if (parameter.schema.enum) return String(parameter.schema.enum[0]);
  return parameter.schema.format === 'uuid' ? randomUUID() : 'sweep-unknown';
}

function url(operation: Operation, path: Record<string, string>, query: string[] = []) {
  const filled = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => path[name]!);
  return query.length ? `${filled}?${query.join('&')}` : filled;
}

/** The malformed requests for one operation; each is otherwise as valid as the document lets us make it. */
function requestsFor(operation: Operation): Request[] {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const headerParameters = operation.parameters.filter((parameter) => parameter.in === 'header');
  const path = Object.fromEntries(pathParameters.map((parameter) => [parameter.name, pathValue(parameter)]));
  const requiredQuery = queryParameters
    .filter((parameter) => parameter.required)
    .map((parameter) => `${parameter.name}=${encodeURIComponent(String(sample(parameter.schema)))}`);
  const body = operation.body ? sample(operation.body) : undefined;
  const requests: Request[] = [
    { label: 'unknown ids, otherwise valid', url: url(operation, path, requiredQuery), body },
  ];

  for (const parameter of pathParameters) {
    for (const value of ['a%00b', '%00', 'a%ED%A0%80b', '%ff', 'not-a-number', '-1', '0', '1.5', 'x'.repeat(300)]) {
      requests.push({
        label: `path ${parameter.name}=${value.slice(0, 20)}`,
        url: url(operation, { ...path, [parameter.name]: value }, requiredQuery),
        body,
      });
    }
  }

  for (const parameter of queryParameters) {
    const others = requiredQuery.filter((pair) => !pair.startsWith(`${parameter.name}=`));
    const good = encodeURIComponent(String(sample(parameter.schema)));
    const values = ['a%00b', '%00', 'a%ED%A0%80b', '%ff', '%uD800', 'not-a-number', '-1', '1e400', '1.5', randomUUID()];
    if (/cursor|before|after/i.test(parameter.name)) values.push(...malformedCursors.map(encodeURIComponent));
    for (const value of values) {
      requests.push({
        label: `query ${parameter.name}=${value.slice(0, 24)}`,
        url: url(operation, path, [...others, `${parameter.name}=${value}`]),
        body,
      });
    }
    requests.push({
      label: `query ${parameter.name} repeated`,
      url: url(operation, path, [...others, `${parameter.name}=${good}`, `${parameter.name}=${good}`]),
      body,
    });
    requests.push({
      label: `query ${parameter.name}[]`,
      url: url(operation, path, [...others, `${parameter.name}[]=${good}`, `${parameter.name}[a]=${good}`]),
      body,
    });
  }

  for (const parameter of headerParameters) {
    for (const value of [NUL, 'x'.repeat(5000), '']) {
      requests.push({
        label: `header ${parameter.name}=${JSON.stringify(value.slice(0, 10))}`,
        url: url(operation, path, requiredQuery),
        body,
        headers: { [parameter.name]: value },
      });
    }
  }

  if (operation.body) {
    for (const leaf of leaves(operation.body, body)) {
      const where = leaf.path.join('.');
      const variants: unknown[] = wrongTypes(leaf.schema, leaf.value);
      if (typeof leaf.value === 'string') variants.push(NUL, LONE_SURROGATE, `${leaf.value}\u0000`, '\udfff');
      if (typeof leaf.value === 'string' && first(leaf.schema).format === 'uuid') variants.push(randomUUID());
      for (const variant of variants) {
        requests.push({
          label: `body ${where}=${JSON.stringify(variant)?.slice(0, 24)}`,
          url: url(operation, path, requiredQuery),
          body: withValue(body, leaf.path, variant),
        });
      }
      if (leaf.value && typeof leaf.value === 'object' && !Array.isArray(leaf.value)) {
        for (const key of [NUL, LONE_SURROGATE]) {
          requests.push({
            label: `body ${where} key ${JSON.stringify(key)}`,
            url: url(operation, path, requiredQuery),
            body: withValue(body, leaf.path, { ...leaf.value, [key]: 'x' }),
          });
        }
      }
    }
    for (const whole of [[], 'sweep', null, 1, [body]]) {
      requests.push({
        label: `body ${JSON.stringify(whole)?.slice(0, 24)}`,
        url: url(operation, path, requiredQuery),
        body: whole,
      });
    }
  }

  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(operation.method)) {
    const contentTypes: [string, string][] = [
      ['text/plain', JSON.stringify(body ?? 'x')],
      ['text/plain', NUL],
      ['application/x-www-form-urlencoded', 'a=b'],
      ['application/json', '{"a":'],
      ['application/json', JSON.stringify(body ?? {}).replace(/"sweep/g, '"\\u0000')],
      ['application/json', '"\\ud800"'],
      ['application/octet-stream', '\u0000\u0001'],
      ['image/png', 'not a png'],
      ['text/csv', 'name,email\n\u0000,a@b.test\n'],
      ['text/vcard', 'BEGIN:VCARD\r\nFN:\u0000\r\nEND:VCARD\r\n'],
      ['multipart/form-data; boundary=x', '--x--'],
    ];
    for (const [contentType, payload] of contentTypes) {
      requests.push({
        label: `content-type ${contentType} ${JSON.stringify(payload).slice(0, 16)}`,
        url: url(operation, path, requiredQuery),
        payload,
        headers: { 'content-type': contentType },
      });
    }
  }
  return requests;
}

async function send(client: TestClient, operation: Operation, request: Request): Promise<TestResponse> {
  return client.request(operation.method as 'GET', request.url, {
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
    ...(request.body !== undefined && request.payload === undefined
      ? { payload: JSON.stringify(request.body), headers: { 'content-type': 'application/json', ...request.headers } }
      : { headers: request.headers }),
  });
}

/** Every method and path Fastify routes, read from its route tree (`:id` written `{id}` as OpenAPI does). */
function registeredRoutes(): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of t.server.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = path;
    for (const method of match[3]?.split(', ') ?? [])
      if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes;
}

describe('the OpenAPI document', () => {
  it('lists every route Fastify serves under /api (but its own pages)', () => {
    const documented = operations.map((operation) => `${operation.method} ${operation.path}`);
    const served = registeredRoutes().filter(
      (route) => / \/api\//.test(route) && !/ \/api\/(docs|openapi\.json)/.test(route),
    );
    expect(served.length).toBeGreaterThan(50);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
  });
});

describe('every operation of the OpenAPI document survives malformed input (no 5xx)', () => {
  it('the document has operations to sweep', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it.for(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    '%s',
    { timeout: 120_000 },
    async ([, operation]) => {
      const failures: string[] = [];
      const statuses = new Set<number>();
      const requests = requestsFor(operation);
      for (const request of requests) {
        const response = await send(isPortal(operation) ? customer : admin, operation, request);
        statuses.add(response.status);
        if (response.status >= 500)
          failures.push(`${request.label} → ${response.status} ${response.text.slice(0, 200)}`);
      }
      // Signing out (or a password change) ends the session; the next operation gets a fresh one.
      if ((await admin.get('/api/me')).status !== 200) admin = await t.signedIn(['admin']);
      if ((await customer.get('/api/portal/me')).status !== 200) customer = await portalSignIn(t, portalEmail);
      expect(failures, `${operation.method} ${operation.path}`).toEqual([]);
      // The sweep reached the route's own checks, not only the sign-in gate.
      expect([...statuses].some((status) => status !== 401 && status !== 403)).toBe(true);
    },
  );
});
