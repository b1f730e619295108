/** "at_risk" → "At risk": one of the server's values in the words a label shows. */
export function inWords(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The labels of a closed set of the server's values, in the order given: each value in words unless `named`
 * gives it a label of its own. Declared as `Record<ServerUnion, string>`, the map fails the type check when
 * the server adds a value this list lacks.
 */
export function labelsOf<const K extends string>(
  values: readonly K[],
  named: Partial<Record<K, string>> = {},
): Record<K, string> {
  return Object.fromEntries(values.map((value) => [value, named[value] ?? inWords(value)])) as Record<K, string>;
}

/** Whether a value from outside (the address, say) is one the label map names. */
export const isKeyOf = <K extends string>(labels: Record<K, string>, value: string | null): value is K =>
  value !== null && Object.hasOwn(labels, value);
