import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that start Tidings processes, kill them or load big runs: each takes tens of seconds. A
 * fresh checkout has no timings cached, and Vitest would start them late (it orders unknown files by
 * size), so the run would end with one worker still on a long file and the other idle.
 */
const slowFiles = [
  /^test\/cli\//,
  /^test\/faults\//,
  /\.postgres\.test\.ts$/,
  /\/(cli|[\w-]+-cli|import-large|inbound-crash|openapi-sweep|render-pool|login-throttle)\.test\.ts$/,
  /^test\/browser\/(accessibility|security-headers|portal|communications|templates)\.test\.ts$/,
];

/** Vitest's order, with the slow files moved to the front. */
export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const slow = (file: TestSpecification) =>
      slowFiles.some((pattern) => pattern.test(path.relative(this.ctx.config.root, file.moduleId)));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
