import type { BodyOf, ResponseOf } from '../../api/api-types.js';
import { api } from '../../api/client.js';

export const attributeOperators = {
  eq: 'is',
  neq: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is one of',
  exists: 'is set',
} as const satisfies Record<AttributeOperator, string>;

/** Which customers a segment holds; every part is optional and all given parts must hold. */
export type SegmentFilter = BodyOf<'/api/segments/evaluate', 'post'>['filter'];
export type AttributeCondition = NonNullable<SegmentFilter['attributes']>[number];
export type AttributeOperator = AttributeCondition['op'];

/** A saved segment; the server answers its filter as it was saved, which is a SegmentFilter. */
export type Segment = Omit<ResponseOf<'/api/segments/{id}', 'patch'>, 'filter'> & { filter: SegmentFilter };
export type SegmentEvaluation = ResponseOf<'/api/segments/evaluate', 'post'>;
export type SegmentInput = BodyOf<'/api/segments', 'post'>;

const segmentPath = (id: string) => `/api/segments/${encodeURIComponent(id)}`;

export const segmentsApi = {
  listPath: '/api/segments',
  segmentPath,
  evaluate: (filter: SegmentFilter) => api.post<SegmentEvaluation>('/api/segments/evaluate', { filter }),
  create: (segment: SegmentInput) => api.post<Segment>('/api/segments', segment),
  update: (id: string, segment: BodyOf<'/api/segments/{id}', 'patch'>) => api.patch<Segment>(segmentPath(id), segment),
  remove: (id: string) => api.delete(segmentPath(id)),
};
