import type {
  Channel,
  ConsentSource,
  CustomerKind,
  LifecycleStage,
  Purpose,
} from '../../../src/customers/customers.tables.js';

export type { Channel, ConsentSource, CustomerKind, LifecycleStage, Purpose };

// Records keyed by the server's own unions: a stage or channel added there fails the type check here.
export const kindLabels: Record<CustomerKind, string> = { person: 'Person', organization: 'Organization' };

export const lifecycleLabels: Record<LifecycleStage, string> = {
  prospect: 'Prospect',
  onboarding: 'Onboarding',
  active: 'Active',
  at_risk: 'At risk',
  closed: 'Closed',
};

export const channelLabels: Record<Channel, string> = {
  email: 'Email',
  sms: 'SMS',
  letter: 'Letter',
  fax: 'Fax',
  portal: 'Portal',
};

export const purposeLabels: Record<Purpose, string> = {
  transactional: 'Transactional',
  service: 'Service',
  marketing: 'Marketing',
};

export const purposeHints: Record<Purpose, string> = {
  transactional: 'Invoices, contract changes, legal notices',
  service: 'Replies to requests and complaints',
  marketing: 'Offers and newsletters; needs explicit consent',
};

export const consentSourceLabels: Record<ConsentSource, string> = {
  form: 'Signed form',
  phone: 'Phone call',
  import: 'Import',
  portal: 'Customer portal',
  api: 'API',
};

const keysOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as K[];

export const customerKinds = keysOf(kindLabels);
export const lifecycleStages = keysOf(lifecycleLabels);
export const channels = keysOf(channelLabels);
export const purposes = keysOf(purposeLabels);
export const consentSources = keysOf(consentSourceLabels);

export const isLifecycleStage = (value: string | null): value is LifecycleStage =>
  lifecycleStages.some((stage) => stage === value);
export const isCustomerKind = (value: string | null): value is CustomerKind =>
  customerKinds.some((kind) => kind === value);
