import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('runs two jobs at once on the embedded database and eight on a PostgreSQL server, unless told otherwise', () => {
    expect(loadConfig({}).workers).toBe(2);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example.test/tidings' }).workers).toBe(8);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example.test/tidings', TIDINGS_WORKERS: '0' }).workers).toBe(0);
  });

  it('loads demo data when npm start asks for it, unless TIDINGS_DEMO or an admin password says otherwise', () => {
    const npmStart = { demo: true };
    expect(loadConfig({}).demo).toBe(false);
    expect(loadConfig({}, npmStart).demo).toBe(true);
    expect(loadConfig({ TIDINGS_DEMO: 'false' }, npmStart).demo).toBe(false);
    expect(loadConfig({ TIDINGS_ADMIN_PASSWORD: 'operator-chosen-secret' }, npmStart).demo).toBe(false);
    expect(loadConfig({ TIDINGS_DEMO: '1' }).demo).toBe(true);
  });

  it('keeps a demo instance (known passwords) on this machine unless HOST says otherwise', () => {
    expect(loadConfig({ TIDINGS_DEMO: '1' }).host).toBe('127.0.0.1');
    expect(loadConfig({}, { demo: true }).host).toBe('127.0.0.1');
    expect(loadConfig({ TIDINGS_DEMO: '1', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('0.0.0.0');
  });

  it('caps API tokens at 365 days unless told otherwise, and trusts only a proxy on this host by default', () => {
    expect(loadConfig({}).tokenMaxDays).toBe(365);
    expect(loadConfig({ TIDINGS_TOKEN_MAX_DAYS: '30' }).tokenMaxDays).toBe(30);
    expect(() => loadConfig({ TIDINGS_TOKEN_MAX_DAYS: 'forever' })).toThrow(/TIDINGS_TOKEN_MAX_DAYS/);
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TIDINGS_TRUST_PROXY: '10.0.0.0/8, 192.168.1.10' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
    ]);
    expect(loadConfig({ TIDINGS_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ TIDINGS_WORKERS: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_WORKERS: 'many' })).toThrow(/TIDINGS_WORKERS/);
  });
});
