-- The closest distinct name words (customer_name_words) to each of the first max_words words of a
-- name search, per_word of them at most, as (part, typed, word, score); a typed word none comes close
-- to is still a row, with no word. A word is close when it holds one of the typed word's spellings by
-- at least `threshold` (pg_trgm word similarity), scored by its best spelling. Two swapped letters
-- leave a word of 4 to 7 letters few of its trigrams ("jmaes" shares 1 in 5 with "james"), so those
-- are also tried with each pair of neighbouring letters swapped back; longer words keep enough.
-- The threshold is pg_trgm's setting, which its index reads: set here for this call only. The SET
-- clause (pg_trgm's default; the call sets its own at once) makes PostgreSQL restore the caller's
-- value when the function returns, so the search needs no transaction to keep it from the session.
-- JIT is off: planned for any term, the query expects thousands of close words per typed word, and
-- on a large dictionary compiling it took 0.7 s where the index reads take a few milliseconds.
CREATE FUNCTION customer_name_word_corrections(term text, threshold float8, per_word int, max_words int)
  RETURNS TABLE (part int, typed text, word text, score real)
  LANGUAGE sql
  SET pg_trgm.word_similarity_threshold = 0.3
  SET jit = off
AS $$
  SELECT set_config('pg_trgm.word_similarity_threshold', threshold::text, true);
  SELECT typed.part::int, typed.word, found.word, found.score
  FROM unnest((name_words(term))[1:max_words]) WITH ORDINALITY AS typed(word, part)
  CROSS JOIN LATERAL (
    SELECT typed.word || array(
      SELECT overlay(typed.word PLACING substr(typed.word, i + 1, 1) || substr(typed.word, i, 1) FROM i FOR 2)
      FROM generate_series(1, char_length(typed.word) - 1) AS i
      WHERE char_length(typed.word) BETWEEN 4 AND 7) AS spellings
  ) AS typing
  LEFT JOIN LATERAL (
    -- A spelling that is not close scores below one that is: the best close spelling is the score.
    SELECT w.word, max(word_similarity(spelling, w.word)) AS score
    FROM unnest(typing.spellings) AS spelling JOIN customer_name_words AS w ON spelling <% w.word
    GROUP BY w.word
    ORDER BY score DESC, similarity(typed.word, w.word) DESC, w.word
    LIMIT per_word
  ) AS found ON true
  ORDER BY typed.part;
$$;
