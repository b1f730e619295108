import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client.js';

let currency: string | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function load() {
  loading ??= api.get<{ currency: string }>('/api/brand').then(
    (brand) => currencyChanged(brand.currency),
    () => {
      // Asked again by the next page that shows money.
      loading = undefined;
    },
  );
}

/** The brand kit saved a currency: every page shows it at once. */
export function currencyChanged(next: string) {
  currency = next;
  for (const listener of listeners) listener();
}

/** The brand kit's currency (ISO 4217) that costs are shown in, read once a session; undefined until known. */
export function useCurrency(): string | undefined {
  useEffect(load, []);
  return useSyncExternalStore(subscribe, () => currency);
}
