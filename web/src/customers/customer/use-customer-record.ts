import { useState } from 'react';
import { useApiData, type ApiData } from '../../ui/use-api-data.js';
import {
  customersApi,
  type ConsentEvent,
  type Customer,
  type CustomerChange,
  type Reachability,
  type TimelineEntry,
} from '../customers.api.js';
import type { Purpose } from '../customer-vocabulary.js';
import { useCursorPages } from '../../ui/use-cursor-pages.js';

/**
 * One customer and everything the customer page shows beside the record itself. Any change
 * reloads all of it: a consent moves the reachability verdicts and lands on the timeline.
 */
export function useCustomerRecord(id: string) {
  const [timelineKind, setTimelineKind] = useState('');
  const customer = useApiData<Customer>(customersApi.customerPath(id));
  const timeline = useCursorPages<'entries', TimelineEntry>(
    customersApi.timelinePath(id, timelineKind || undefined),
    'entries',
  );
  const consentHistory = useApiData<{ events: ConsentEvent[] }>(customersApi.consentHistoryPath(id));
  const reachability: Record<Purpose, ApiData<Reachability>> = {
    transactional: useApiData<Reachability>(customersApi.reachabilityPath(id, 'transactional')),
    service: useApiData<Reachability>(customersApi.reachabilityPath(id, 'service')),
    marketing: useApiData<Reachability>(customersApi.reachabilityPath(id, 'marketing')),
  };

  const refresh = () => {
    customer.reload();
    timeline.reload();
    consentHistory.reload();
    for (const verdict of Object.values(reachability)) verdict.reload();
  };

  /** Saves a change to the record and shows the saved state at once, then refreshes the rest. */
  const save = async (change: CustomerChange) => {
    customer.replace(await customersApi.update(id, change));
    refresh();
  };

  return { customer, timeline, timelineKind, setTimelineKind, consentHistory, reachability, refresh, save };
}

export type CustomerRecord = ReturnType<typeof useCustomerRecord>;
