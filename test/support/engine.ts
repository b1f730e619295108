export type TestEngine = 'pglite' | 'postgres';

export const testEngine = (): TestEngine => (process.env.TIDINGS_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite');
