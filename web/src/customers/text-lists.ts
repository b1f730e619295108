/** The entries of a list typed as text, split at new lines (and commas, unless told not to), blanks dropped. */
export const listOf = (text: string, { commas = true } = {}): string[] =>
  text
    .split(commas ? /[,\n]/ : /\n/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The opposite of `listOf`, for putting a list back into a text field. */
export const textOf = (items: readonly string[], separator = ', ') => items.join(separator);
