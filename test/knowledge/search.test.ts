import { searchCases } from './search-cases.js';

// On PGlite; search.postgres.test.ts runs the same cases on PostgreSQL.
searchCases();
