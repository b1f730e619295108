import type { paths } from './openapi.js';

// The web app's request and response types, read from the server's OpenAPI document
// (web/src/api/openapi.d.ts, `npm run api:types`): a field the server adds or drops reaches every
// screen that uses it, or fails the type-check.

/** A path as the OpenAPI document names it: `/api/communications/{id}`. */
export type ApiPath = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends ApiPath, M extends Method> = NonNullable<paths[P][M]>;
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Success<Responses> = Responses extends { 200: infer Ok }
  ? Ok
  : Responses extends { 201: infer Created }
    ? Created
    : Responses extends { 202: infer Accepted }
      ? Accepted
      : never;

/** What a successful call answers (its 200, else its 201 or 202), as the route's response schema declares it. */
export type ResponseOf<P extends ApiPath, M extends Method = 'get'> =
  Operation<P, M> extends { responses: infer Responses } ? Json<Success<Responses>> : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { requestBody?: infer Body } ? Json<NonNullable<Body>> : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends ApiPath, M extends Method = 'get'> =
  Operation<P, M> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
