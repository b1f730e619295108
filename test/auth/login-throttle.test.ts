import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_BACKOFF_MS, loginLimits } from '../../src/auth/login-throttle.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(() => t.close());

let addresses = 0;
/** A client address of its own for each use, from the documentation range. */
const newAddress = () => `198.51.100.${++addresses}`;

/** Signs in from a client address (the socket's, as no trusted proxy stands in between). */
async function signIn(email: string, password: string, address: string) {
  const response = await t.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: address,
  });
  return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: response.json() };
}

describe('sign-in throttling', () => {
  it('counts parallel wrong passwords one by one: only the first few are checked, the rest wait', async () => {
    const user = await t.createUser(['viewer']);
    const attacker = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(user.email, `wrong-guess-${i}`, attacker)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(loginLimits.accountAtAddress);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - loginLimits.accountAtAddress);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body.error).toBe('auth.throttled');
    expect(refused.retryAfter).toBe(String(FIRST_BACKOFF_MS / 1000));
  });

  it('lets the owner in from another address while one address is throttled, and from that one after the wait', async () => {
    const user = await t.createUser(['agent']);
    const attacker = newAddress();
    for (let i = 0; i < loginLimits.accountAtAddress; i++)
      expect((await signIn(user.email, `wrong-${i}`, attacker)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, attacker)).status).toBe(429);

    expect((await signIn(user.email, TEST_PASSWORD, newAddress())).status).toBe(200);

    clock.advance(FIRST_BACKOFF_MS);
    expect((await signIn(user.email, TEST_PASSWORD, attacker)).status).toBe(200);
  });

  it('backs off further with every failure after the limit instead of locking the account for long', async () => {
    const user = await t.createUser(['viewer']);
    const address = newAddress();
    for (let i = 0; i < loginLimits.accountAtAddress; i++) await signIn(user.email, `wrong-${i}`, address);
    expect((await signIn(user.email, 'wrong-again', address)).retryAfter).toBe('30');
    clock.advance(30_000);
    expect((await signIn(user.email, 'wrong-after-wait', address)).status).toBe(401);
    expect((await signIn(user.email, 'wrong-again', address)).retryAfter).toBe('60');
    clock.advance(60_000);
    expect((await signIn(user.email, 'wrong-after-wait', address)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, address)).retryAfter).toBe('120');
  });

  it('limits one address trying many accounts', async () => {
    const sprayer = newAddress();
    const user = await t.createUser(['viewer']);
    for (let i = 0; i < loginLimits.address; i++)
      expect((await signIn(`nobody-${i}@example.test`, 'password-guess', sprayer)).status).toBe(401);
    const refused = await signIn(user.email, TEST_PASSWORD, sprayer);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await signIn(user.email, TEST_PASSWORD, newAddress())).status).toBe(200);
  });

  it('limits many addresses guessing one account, and a correct sign-in clears the count', async () => {
    const user = await t.createUser(['viewer']);
    for (let i = 0; i < loginLimits.account; i++)
      expect((await signIn(user.email, `distributed-${i}`, newAddress())).status).toBe(401);
    const refused = await signIn(user.email, TEST_PASSWORD, newAddress());
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(FIRST_BACKOFF_MS / 1000));

    clock.advance(FIRST_BACKOFF_MS);
    expect((await signIn(user.email, TEST_PASSWORD, newAddress())).status).toBe(200);
    expect((await signIn(user.email, 'one-more-wrong', newAddress())).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, newAddress())).status).toBe(200);
  });
});
