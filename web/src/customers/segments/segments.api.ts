import { api } from '../../api/client.js';
import type { CustomerSummary } from '../customers.api.js';
import type { Channel, CustomerKind, LifecycleStage, Purpose } from '../customer-vocabulary.js';

export const attributeOperators = {
  eq: 'is',
  neq: 'is not',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is one of',
  exists: 'is set',
} as const;

export type AttributeOperator = keyof typeof attributeOperators;
export type AttributeCondition = { key: string; op: AttributeOperator; value?: string | number | (string | number)[] };
type DateRange = { from?: string; to?: string };

/** Which customers a segment holds; every part is optional and all given parts must hold. */
export type SegmentFilter = {
  kind?: CustomerKind;
  lifecycle?: LifecycleStage[];
  tagsAll?: string[];
  tagsAny?: string[];
  languages?: string[];
  attributes?: AttributeCondition[];
  consent?: { purpose: Purpose; channel: Channel };
  created?: DateRange;
  lastContacted?: DateRange;
  includeArchived?: boolean;
};

export type Segment = {
  id: string;
  name: string;
  description: string;
  filter: SegmentFilter;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};
export type SegmentEvaluation = { count: number; preview: CustomerSummary[] };
export type SegmentInput = { name: string; description: string; filter: SegmentFilter };

const segmentPath = (id: string) => `/api/segments/${encodeURIComponent(id)}`;

export const segmentsApi = {
  listPath: '/api/segments',
  segmentPath,
  evaluate: (filter: SegmentFilter) => api.post<SegmentEvaluation>('/api/segments/evaluate', { filter }),
  create: (segment: SegmentInput) => api.post<Segment>('/api/segments', segment),
  update: (id: string, segment: SegmentInput) => api.patch<Segment>(segmentPath(id), segment),
  remove: (id: string) => api.delete(segmentPath(id)),
};
