// `npm run build:server`: compiles src/ into dist/ (same layout, so paths relative to a module hold in
// both) and copies beside the code what it reads at run time that is not TypeScript: the SQL
// migrations. Types are not checked here (`npm run typecheck` and CI do that), so a start is never
// refused over a type error and the build takes seconds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (status !== 0) process.exit(status ?? 1);

const migrations = path.join(root, 'dist/db/migrations');
// Drizzle applies what the journal lists, so a migration removed from src/ must not linger here.
fs.rmSync(migrations, { recursive: true, force: true });
fs.cpSync(path.join(root, 'src/db/migrations'), migrations, { recursive: true });
// The package's `tidings` command (`npx tidings`) is this file.
fs.chmodSync(path.join(root, 'dist/cli/main.js'), 0o755);
