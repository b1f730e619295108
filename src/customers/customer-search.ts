import { and, asc, desc, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../db/database.js';
import { normalizeEmail, normalizePhone } from './customer-fields.js';
import { customers } from './customers.tables.js';

/** A number as people write it: digits with +, brackets, spaces, dots, slashes or dashes. */
const PHONE_LIKE = /^[+(\d][\d\s()./-]{4,}$/;
/** Each word of a name search must match a word of the name at least this well (pg_trgm word similarity). */
const WORD_THRESHOLD = 0.38;
/**
 * The whole name must be this similar when a word alone is not: above pg_trgm's default of 0.3,
 * so that the index rechecks the few names that share most trigrams, not every name sharing a few.
 */
const NAME_THRESHOLD = 0.35;
/**
 * Two swapped letters leave a short word few of its trigrams ("jmaes" shares 1 in 5 with "james"),
 * so words up to this long are also tried with each pair of neighbouring letters swapped back.
 */
const SWAPPED_UP_TO = 7;
/** More query words than this are matched as one. */
const MAX_WORDS = 4;
/**
 * A name search ranks at most this many candidates. A short or common word ("J", "Smith") matches
 * a tenth of a million-customer table; ranking all of them costs seconds, and they rank alike.
 */
const CANDIDATES = 2_000;

/**
 * The condition an exact search term sets, or undefined for a name: an email address (any case),
 * a phone number written any common way (read as the default country's when it has no +, as
 * international digits as well), or an external id.
 *
 * The matching ids are gathered in a sub-select of their own: its only plan is the arrays' GIN
 * index. Written as a plain condition, the planner cannot tell that an address is unique (array
 * statistics hold only common elements) and would walk the whole list in sort order to find it.
 */
export function exactLookup(term: string, defaultCountry: string): SQL | undefined {
  if (term.includes('@')) return matchingIds(sql`${customers.emails} @> array[${normalizeEmail(term)}]::text[]`);
  if (!PHONE_LIKE.test(term)) return undefined;
  const digits = term.replace(/\D/g, '');
  const numbers = new Set(
    [normalizePhone(term, defaultCountry), term.startsWith('+') ? undefined : normalizePhone(`+${digits}`)].filter(
      (number): number is string => Boolean(number),
    ),
  );
  const phone = numbers.size
    ? sql`${customers.phones} && array[${sql.join(
        [...numbers].map((number) => sql`${number}`),
        sql`, `,
      )}]::text[]`
    : undefined;
  return matchingIds(
    phone ? sql`${phone} or ${customers.externalId} = ${term}` : sql`${customers.externalId} = ${term}`,
  );
}

const matchingIds = (condition: SQL) =>
  sql`${customers.id} = any(array(select ${customers.id} from ${customers} where ${condition}))`;

/**
 * Customers whose name fuzzily contains every word of the term (misspelt, accents left out, any
 * order, any script), best match first. Each word is its own condition on the trigram index, so
 * the index hands over only names that hold all of them: "Jonh Smiht" reads the John Smiths, not
 * every John and every Smith.
 */
export async function searchNames(db: Database, term: string, conditions: (SQL | undefined)[], limit: number) {
  const words = term.split(/\s+/).filter(Boolean);
  const parts = (
    words.length > MAX_WORDS ? [...words.slice(0, MAX_WORDS - 1), words.slice(MAX_WORDS - 1).join(' ')] : words
  ).map(spellings);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_THRESHOLD)}, true)`);
    const byWords = parts.map((word) => or(...word.map((spelling) => sql`${spelling} <% ${customers.name}`)));
    const found = await ranked(tx, and(...conditions, ...byWords));
    if (found.length || parts.length < 2) return found;
    // A changed letter in a short word ("Meier Anna" for "Meyer Anna") can sink that word below
    // the threshold; the whole name's similarity still catches it. A slower index search, so second,
    // and never for one word: a word is always less like a whole name than like a word of it.
    await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(NAME_THRESHOLD)}, true)`);
    return ranked(tx, and(...conditions, sql`${customers.name} % ${term}`));
  });

  async function ranked(tx: Transaction, where: SQL | undefined) {
    const candidates = tx.$with('candidates').as(tx.select().from(customers).where(where).limit(CANDIDATES));
    const rank = sql.join(
      [
        sql`similarity(${candidates.name}, ${term})`,
        ...parts.map(
          (word) =>
            sql`greatest(${sql.join(
              word.map((spelling) => sql`word_similarity(${spelling}, ${candidates.name})`),
              sql`, `,
            )})`,
        ),
      ],
      sql` + `,
    );
    return tx.with(candidates).select().from(candidates).orderBy(desc(rank), asc(candidates.id)).limit(limit);
  }
}

/** A word as typed, and for a short word the spellings with two neighbouring letters swapped. */
function spellings(word: string): string[] {
  const letters = [...word];
  if (letters.length < 4 || letters.length > SWAPPED_UP_TO) return [word];
  const swapped = letters.slice(1).map((_, index) => {
    const copy = [...letters];
    [copy[index], copy[index + 1]] = [copy[index + 1]!, copy[index]!];
    return copy.join('');
  });
  return [...new Set([word, ...swapped])];
}
