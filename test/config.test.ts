import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('runs two jobs at once on the embedded database and eight on a PostgreSQL server, unless told otherwise', () => {
    expect(loadConfig({}).workers).toBe(2);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example.test/tidings' }).workers).toBe(8);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example.test/tidings', TIDINGS_WORKERS: '0' }).workers).toBe(0);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ TIDINGS_WORKERS: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_WORKERS: 'many' })).toThrow(/TIDINGS_WORKERS/);
  });
});
