// `npm run build:server`: the server bundled into dist/ (scripts/server-bundle.ts), the SQL migrations
// beside it. Types are not checked here (`npm run typecheck` and CI do that), so a start is never
// refused over a type error and the build takes seconds.
import path from 'node:path';
import { bundleServer } from './server-bundle.js';

await bundleServer(path.resolve(import.meta.dirname, '../dist'));
