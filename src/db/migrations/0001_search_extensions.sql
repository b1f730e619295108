-- Fuzzy name search (similarity, trigram GIN indexes) for customers and documents.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
