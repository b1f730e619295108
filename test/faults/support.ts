import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '../support/wait-for.js';
import { tidingsArgs } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

export type TidingsProcess = Awaited<ReturnType<typeof startTidings>>;

/**
 * `tidings start`, the real command, as an operator runs it; resolves once it serves HTTP. `exit`
 * settles with how it ended; `output` holds what it logged, for the failure message.
 */
export async function startTidings(environment: Record<string, string>) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, tidingsArgs('start'), {
    env: { ...process.env, LOG_LEVEL: 'info', ...environment, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal }));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tidings is up')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((how) =>
      reject(new Error(`tidings start ended (${JSON.stringify(how)}) before it was up:\n${output}`)),
    );
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    exit,
    output: () => output,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
  };
}

/** Waits for a condition read from a service that may itself be failing for a while: errors count as "not yet". */
export const eventually = <T>(read: () => Promise<T>, done: (value: T) => boolean) =>
  waitFor(read, done, { timeoutMs: 120_000, tolerateErrors: true });

export const messageIdOf = (raw: Buffer) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw.subarray(0, 4096).toString())?.[1];

/** Runs a `tidings` command to its end; resolves with its exit code and output. */
export function tidingsCommand(args: string[], environment: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, tidingsArgs(...args), {
      env: { ...process.env, LOG_LEVEL: 'warn', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Speaks to a running Tidings over HTTP as a signed-in user: the session cookie, and the CSRF token on writes. */
export async function signedInClient(baseUrl: string, email: string, password: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in as ${email} failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const request = async (method: string, url: string, body?: string, contentType = 'application/json') => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    cookie,
    get: (url: string) => request('GET', url),
    post: (url: string, body: unknown) => request('POST', url, JSON.stringify(body)),
    postFile: (url: string, content: string, contentType: string) => request('POST', url, content, contentType),
  };
}
