import { searchCases } from './search-cases.js';

// On PostgreSQL; search.test.ts runs the same cases on PGlite.
searchCases();
