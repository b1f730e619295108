import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');

/** An empty variable (`DATABASE_URL=`) means unset, as in most tools. */
const emptyAsUnset = (environment: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().optional(),
  TIDINGS_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TIDINGS_DEMO: flag.optional(),
  TIDINGS_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  TIDINGS_JOB_LEASE_SECONDS: z.coerce.number().positive().default(30),
  TIDINGS_JOB_RETENTION_DAYS: z.coerce.number().positive().default(7),
  TIDINGS_RENDER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  TIDINGS_RENDER_BUDGET_SECONDS: z.coerce.number().positive().max(600).default(10),
  TIDINGS_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(20),
  TIDINGS_SESSION_HOURS: z.coerce.number().positive().default(12),
  TIDINGS_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  TIDINGS_TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/,\s-]+$/, 'must be true, false, or a comma-separated list of proxy addresses')
    .default('loopback'),
  TIDINGS_ADMIN_EMAIL: z.string().email().default('admin@tidings.local'),
  TIDINGS_ADMIN_PASSWORD: z.string().min(10).optional(),
  TIDINGS_SECURE_COOKIES: flag.default(false),
  TIDINGS_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'must be an http:// or https:// URL without query or fragment')
    .optional(),
  TIDINGS_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  TIDINGS_ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(10_485_760),
  TIDINGS_DOCUMENT_MAX_BYTES: z.coerce.number().int().positive().default(104_857_600),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  TIDINGS_SMS_GATEWAY_URL: z.string().url().optional(),
  TIDINGS_FAX_GATEWAY_URL: z.string().url().optional(),
  TIDINGS_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TIDINGS_AUDIT_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  TIDINGS_PRINT_DIR: z.string().optional(),
  TIDINGS_INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TIDINGS_INBOUND_SMTP_HOST: z.string().optional(),
  TIDINGS_INBOUND_ADDRESSES: z
    .string()
    .regex(
      /^[^\s,]+(\s*,\s*[^\s,]+)*$/,
      'must be a comma-separated list of domains (example.com) or addresses (support@example.com)',
    )
    .optional(),
  TIDINGS_INBOUND_MAX_BYTES: z.coerce.number().int().positive().default(10_485_760),
  TIDINGS_SCAN_ADDRESSES: z
    .string()
    .regex(
      /^[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*$/,
      'must be a comma-separated list of addresses (scans@example.com)',
    )
    .optional(),
  TIDINGS_DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code such as DE or US')
    .default('US'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  workers: number;
  jobLeaseMs: number;
  /** How long succeeded and cancelled jobs are kept before the workers delete them; dead ones stay. */
  jobRetentionMs: number;
  /** Threads that render templates, off the thread that serves HTTP and runs jobs. */
  renderThreads: number;
  /** The most one preview request, or one delivered item, may spend rendering before its thread is stopped. */
  renderBudgetMs: number;
  /** On SIGTERM, how long running jobs and requests may take to finish before jobs are given back. */
  shutdownGraceMs: number;
  sessionTtlMs: number;
  /** The longest an API token may live. */
  tokenMaxDays: number;
  /**
   * Which peers may set X-Forwarded-For (Fastify's trustProxy): the client address limits sign-in
   * attempts, so only a known proxy may name it. Loopback (a proxy on this host) by default.
   */
  trustProxy: boolean | string[];
  adminEmail: string;
  adminPassword?: string;
  secureCookies: boolean;
  /**
   * Where customers reach this Tidings, for links in what it sends (portal sign-in, unsubscribe);
   * https also makes the portal cookie Secure.
   */
  publicUrl: string;
  bodyLimitBytes: number;
  /** The largest file attached to a ticket's reply or note. */
  attachmentMaxBytes: number;
  /** The largest file uploaded to the document repository (a new document or version). */
  documentMaxBytes: number;
  smtpUrl?: string;
  smsGatewayUrl?: string;
  faxGatewayUrl?: string;
  /** Signs gateway requests and verifies their receipts; unset (no gateway, no demo), receipts are refused. */
  gatewaySecret?: string;
  /** The audit chain's HMAC key; unset, a key file is created once in the data folder. */
  auditKey?: string;
  /** Where print batches (merged PDF and manifest) are written for the print-and-post vendor. */
  printDir: string;
  /** The country assumed for phone numbers written without a +country code. */
  defaultCountry: string;
  /**
   * Mail to the support address becomes tickets. The SMTP listener is off unless `listen` is set;
   * `accepted` holds the domains ("example.com") and addresses ("support@example.com") it takes mail
   * for; `maxBytes` is the largest message taken, by SMTP or `tidings inbound test`.
   */
  inbound: {
    listen?: { port: number; host: string };
    accepted: string[];
    maxBytes: number;
    /** Mail to these addresses is scanned paper for the scans service, not a ticket. */
    scanAddresses?: string[];
  };
  logLevel: string;
};

export class ConfigError extends Error {}

/** The published placeholder: good enough for a demo on this machine, never for real receipts. */
export const PLACEHOLDER_GATEWAY_SECRET = 'change-me-gateway-secret';

/**
 * Anyone who knows the gateway secret can mark messages delivered or failed, so outside a demo it
 * must be a real one, and it is required as soon as a gateway that sends receipts is configured.
 */
function gatewaySecretOf(
  env: { TIDINGS_GATEWAY_SECRET?: string; TIDINGS_SMS_GATEWAY_URL?: string; TIDINGS_FAX_GATEWAY_URL?: string },
  demo: boolean,
) {
  const secret = env.TIDINGS_GATEWAY_SECRET;
  if (demo) return secret ?? PLACEHOLDER_GATEWAY_SECRET;
  const advice =
    'set it to a random value of at least 16 characters (e.g. `openssl rand -hex 32`) shared with the gateway';
  if (secret === PLACEHOLDER_GATEWAY_SECRET)
    throw new ConfigError(
      `Invalid configuration:\n  TIDINGS_GATEWAY_SECRET: is the published placeholder, accepted only with demo data (TIDINGS_DEMO); ${advice}`,
    );
  if (!secret && (env.TIDINGS_SMS_GATEWAY_URL || env.TIDINGS_FAX_GATEWAY_URL))
    throw new ConfigError(
      `Invalid configuration:\n  TIDINGS_GATEWAY_SECRET: is required when TIDINGS_SMS_GATEWAY_URL or TIDINGS_FAX_GATEWAY_URL is set; ${advice}`,
    );
  return secret;
}

function trustProxyOf(value: string): Config['trustProxy'] {
  if (value === 'true' || value === 'false') return value === 'true';
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function inboundOf(env: z.infer<typeof environmentSchema>, demo: boolean): Config['inbound'] {
  const accepted = (env.TIDINGS_INBOUND_ADDRESSES ?? '')
    .split(',')
    .flatMap((entry) => entry.trim().toLowerCase() || []);
  // Mail to these is scanned paper: its PDFs and pictures are read for their letter's reference and filed.
  const scanAddresses = (env.TIDINGS_SCAN_ADDRESSES ?? '')
    .split(',')
    .flatMap((entry) => entry.trim().toLowerCase() || []);
  if (env.TIDINGS_INBOUND_SMTP_PORT !== undefined && accepted.length === 0)
    throw new ConfigError(
      'Invalid configuration:\n  TIDINGS_INBOUND_ADDRESSES: is required when TIDINGS_INBOUND_SMTP_PORT is set; name the domains or addresses that take support mail, e.g. support.example.com',
    );
  return {
    listen:
      env.TIDINGS_INBOUND_SMTP_PORT === undefined
        ? undefined
        : {
            port: env.TIDINGS_INBOUND_SMTP_PORT,
            host: env.TIDINGS_INBOUND_SMTP_HOST ?? env.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
          },
    accepted: [...accepted, ...scanAddresses.filter((address) => !accepted.includes(address))],
    maxBytes: env.TIDINGS_INBOUND_MAX_BYTES,
    scanAddresses,
  };
}

/**
 * Parses the environment once; a wrong variable stops start-up with its name in the message.
 * `defaults.demo` (what `npm start` asks for) turns demo data on unless TIDINGS_DEMO says otherwise
 * or the operator supplies an admin password.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, defaults: { demo?: boolean } = {}): Config {
  const parsed = environmentSchema.safeParse(emptyAsUnset(environment));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const demo = env.TIDINGS_DEMO ?? (defaults.demo === true && env.TIDINGS_ADMIN_PASSWORD === undefined);
  const gatewaySecret = gatewaySecretOf(env, demo);
  return {
    port: env.PORT,
    // A demo instance has known passwords: it answers only on this machine unless HOST says otherwise.
    host: env.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    dataDir: path.resolve(env.TIDINGS_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    demo,
    // The embedded database runs one statement at a time, so more jobs at once only wait; a server overlaps them.
    workers: env.TIDINGS_WORKERS ?? (env.DATABASE_URL ? 8 : 2),
    jobLeaseMs: env.TIDINGS_JOB_LEASE_SECONDS * 1000,
    jobRetentionMs: env.TIDINGS_JOB_RETENTION_DAYS * 86_400_000,
    renderThreads: env.TIDINGS_RENDER_THREADS ?? os.availableParallelism(),
    renderBudgetMs: env.TIDINGS_RENDER_BUDGET_SECONDS * 1000,
    shutdownGraceMs: env.TIDINGS_SHUTDOWN_GRACE_SECONDS * 1000,
    sessionTtlMs: env.TIDINGS_SESSION_HOURS * 3_600_000,
    tokenMaxDays: env.TIDINGS_TOKEN_MAX_DAYS,
    trustProxy: trustProxyOf(env.TIDINGS_TRUST_PROXY),
    adminEmail: env.TIDINGS_ADMIN_EMAIL,
    adminPassword: env.TIDINGS_ADMIN_PASSWORD,
    secureCookies: env.TIDINGS_SECURE_COOKIES,
    publicUrl: (env.TIDINGS_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    bodyLimitBytes: env.TIDINGS_BODY_LIMIT_BYTES,
    attachmentMaxBytes: env.TIDINGS_ATTACHMENT_MAX_BYTES,
    documentMaxBytes: env.TIDINGS_DOCUMENT_MAX_BYTES,
    smtpUrl: env.SMTP_URL,
    smsGatewayUrl: env.TIDINGS_SMS_GATEWAY_URL,
    faxGatewayUrl: env.TIDINGS_FAX_GATEWAY_URL,
    gatewaySecret,
    auditKey: env.TIDINGS_AUDIT_KEY,
    printDir: path.resolve(env.TIDINGS_PRINT_DIR ?? path.join(env.TIDINGS_DATA_DIR, 'print')),
    defaultCountry: env.TIDINGS_DEFAULT_COUNTRY,
    inbound: inboundOf(env, demo),
    logLevel: env.LOG_LEVEL,
  };
}
