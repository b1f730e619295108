#!/usr/bin/env node
// The CLI from the sources, for development: `npm run tidings`, `npm run dev` and the tests run it, so
// they always run the code in the tree and there is no build to forget. tsx (a dev dependency)
// compiles on load. `npm start` and an installed `tidings` run the compiled build instead
// (dist/cli/main.js, made by `npm run build`), which needs no dev dependency.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
