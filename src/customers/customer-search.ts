import { and, asc, desc, not, sql, type SQL } from 'drizzle-orm';
import { rows, type Database } from '../db/database.js';
import { normalizeEmail, normalizePhone } from './customer-fields.js';
import { customers } from './customers.tables.js';

/** A number as people write it: digits with +, brackets, spaces, dots, slashes or dashes. */
const PHONE_LIKE = /^[+(\d][\d\s()./-]{4,}$/;
/** Each word of a name search must match a word of the name at least this well (pg_trgm word similarity). */
const WORD_THRESHOLD = 0.38;
/** When no name holds words that close, each word of a name search is corrected this loosely (pg_trgm's default). */
const LOOSE_THRESHOLD = 0.3;
/** Words shorter than this are only ever corrected closely. */
const LOOSE_FROM = 4;
/** A name must hold (a correction of) each of the first words typed; any further words only rank. */
const MAX_WORDS = 4;
/** Each typed word stands for at most this many distinct name words: its closest corrections. */
const CORRECTIONS = 8;
/**
 * A name search ranks at most this many candidates. A common word ("Anna", "Schmidt") is in a few
 * percent of a million names; each candidate is a page read and a similarity, and those holding
 * the same closest words rank alike.
 */
export const CANDIDATES = 200;

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
 * order, any script, a word still being typed), best match first.
 *
 * A million names repeat far fewer words ("Schmidt" 50,000 times), so each typed word is first
 * corrected against the distinct words (customer_name_words, kept by triggers): its closest
 * words, found by trigrams. Customers are then those whose name's words overlap the
 * corrections of every typed word, each an exact-word condition on customers_name_words_idx.
 */
export async function searchNames(db: Database, term: string, conditions: (SQL | undefined)[], limit: number) {
  const close = await corrected(db, term, WORD_THRESHOLD);
  if (!close.length) return [];
  const found = await holdingCorrections(db, close, term, conditions, limit);
  if (found.length) return found;
  // A changed letter in a five-letter word ("Wyber" for "Weber") leaves it a third of its
  // trigrams; looser corrections catch it. Second, because they also bring words that merely
  // look alike, and never for a word of one to three letters, which looks like half the names.
  const loose = (await corrected(db, term, LOOSE_THRESHOLD)).map((words, index) =>
    [...words.typed].length < LOOSE_FROM ? close[index]! : words,
  );
  if (loose.every((words, index) => words.all.length === close[index]!.all.length)) return found;
  return holdingCorrections(db, loose, term, conditions, limit);
}

/**
 * Customers whose names hold a correction of every typed word. Those holding the closest ones
 * come first: "Schmid" shows the few Schmids before any of 50,000 Schmidts, which would otherwise
 * fill the candidates; the others only when those do not fill the page.
 */
async function holdingCorrections(
  db: Database,
  corrections: Corrections,
  term: string,
  conditions: (SQL | undefined)[],
  limit: number,
) {
  const closest = and(...corrections.map(({ best }) => holdsAny(best)))!;
  const found = await ranked(db, term, and(...conditions, closest), limit);
  if (found.length < limit && corrections.some(({ best, all }) => all.length > best.length)) {
    const others = and(...conditions, ...corrections.map(({ all }) => holdsAny(all)), not(closest));
    found.push(...(await ranked(db, term, others, limit - found.length)));
  }
  return found;
}

type Corrections = Awaited<ReturnType<typeof corrected>>;

/**
 * The closest distinct name words to each typed word (as typed and with letters swapped back), at
 * most CORRECTIONS of them, in one statement (customer_name_word_corrections, migration 0040);
 * `best` are those that match it best (the word itself when it exists). The word as typed is
 * always among them: a name is found by its exact words even if the dictionary lost one to a
 * rename racing with an insert.
 */
async function corrected(db: Database, term: string, threshold: number) {
  const found = await rows<{ part: number; typed: string; word: string | null; score: number | null }>(
    db,
    sql`select * from customer_name_word_corrections(${term}, ${threshold}, ${CORRECTIONS}, ${MAX_WORDS})`,
  );
  // One row per typed word without a close word, one per close word otherwise, in typed order.
  const typedWords = new Map(found.map((row) => [row.part, row.typed]));
  return [...typedWords].map(([part, typed]) => {
    const words = found.filter((row) => row.part === part && row.word !== null);
    const top = Math.max(...words.map((row) => row.score!));
    const best = words.filter((row) => row.score === top).map((row) => row.word!);
    return {
      typed,
      best: [...new Set([typed, ...best])],
      all: [...new Set([typed, ...words.map((row) => row.word!)])],
    };
  });
}

/** Names holding at least one of these words. */
const holdsAny = (words: string[]) =>
  sql`name_words(${customers.name}) && array[${sql.join(
    words.map((word) => sql`${word}`),
    sql`, `,
  )}]::text[]`;

/** At most CANDIDATES customers matching `where`, the `limit` most like the term first. */
function ranked(db: Database, term: string, where: SQL | undefined, limit: number) {
  const candidates = db.$with('candidates').as(db.select().from(customers).where(where).limit(CANDIDATES));
  return db
    .with(candidates)
    .select()
    .from(candidates)
    .orderBy(desc(sql`similarity(${candidates.name}, ${term})`), asc(candidates.id))
    .limit(limit);
}
