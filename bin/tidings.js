#!/usr/bin/env node
// The CLI from the sources, for development: `npm run tidings` and `npm run dev` run it, so they
// always run the code in the tree and there is no build to forget. tsx (a dev dependency) compiles on
// load, at every start; tests that start the command many times run the tree bundled once per test
// run instead (test/support/cli.ts). `npm start` and an installed `tidings` run the bundle instead
// (dist/tidings.js, made by `npm run build`), which needs no dev dependency.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
