import type {
  Channel,
  ConsentSource,
  CustomerKind,
  LifecycleStage,
  Purpose,
} from '../../../src/customers/customers.tables.js';
import { labelsOf } from '../ui/vocabulary.js';

export type { Channel, ConsentSource, CustomerKind, LifecycleStage, Purpose };

// Labels keyed by the server's own unions: a stage or channel added there fails the type check here.
export const customerKinds = ['person', 'organization'] as const;
export const kindLabels: Record<CustomerKind, string> = labelsOf(customerKinds);

export const lifecycleStages = ['prospect', 'onboarding', 'active', 'at_risk', 'closed'] as const;
export const lifecycleLabels: Record<LifecycleStage, string> = labelsOf(lifecycleStages);

export const channels = ['email', 'sms', 'letter', 'fax', 'portal'] as const;
export const channelLabels: Record<Channel, string> = labelsOf(channels, { sms: 'SMS' });

export const purposes = ['transactional', 'service', 'marketing'] as const;
export const purposeLabels: Record<Purpose, string> = labelsOf(purposes);

export const purposeHints: Record<Purpose, string> = {
  transactional: 'Invoices, contract changes, legal notices',
  service: 'Replies to requests and complaints',
  marketing: 'Offers and newsletters; needs explicit consent',
};

export const consentSources = ['form', 'phone', 'import', 'portal', 'api'] as const;
export const consentSourceLabels: Record<ConsentSource, string> = labelsOf(consentSources, {
  form: 'Signed form',
  phone: 'Phone call',
  portal: 'Customer portal',
  api: 'API',
});
