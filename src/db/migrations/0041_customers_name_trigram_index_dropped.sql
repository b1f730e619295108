-- Fuzzy search finds names by their words (customers_name_words_idx, 0039); no query reads this
-- trigram index any more, and every insert and rename of a customer paid for it.
DROP INDEX "customers_name_trgm_idx";
