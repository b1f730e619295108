import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');

/** An empty variable (`DATABASE_URL=`) means unset, as in most tools. */
const emptyAsUnset = (environment: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  TIDINGS_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TIDINGS_DEMO: flag.default(false),
  TIDINGS_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  TIDINGS_JOB_LEASE_SECONDS: z.coerce.number().positive().default(30),
  TIDINGS_SESSION_HOURS: z.coerce.number().positive().default(12),
  TIDINGS_ADMIN_EMAIL: z.string().email().default('admin@tidings.local'),
  TIDINGS_ADMIN_PASSWORD: z.string().min(10).optional(),
  TIDINGS_SECURE_COOKIES: flag.default(false),
  TIDINGS_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  TIDINGS_SMS_GATEWAY_URL: z.string().url().optional(),
  TIDINGS_FAX_GATEWAY_URL: z.string().url().optional(),
  TIDINGS_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').default('change-me-gateway-secret'),
  TIDINGS_PRINT_DIR: z.string().optional(),
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
  sessionTtlMs: number;
  adminEmail: string;
  adminPassword?: string;
  secureCookies: boolean;
  bodyLimitBytes: number;
  smtpUrl?: string;
  smsGatewayUrl?: string;
  faxGatewayUrl?: string;
  gatewaySecret: string;
  /** Where print batches (merged PDF and manifest) are written for the print-and-post vendor. */
  printDir: string;
  /** The country assumed for phone numbers written without a +country code. */
  defaultCountry: string;
  logLevel: string;
};

export class ConfigError extends Error {}

/** Parses the environment once; a wrong variable stops start-up with its name in the message. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(emptyAsUnset(environment));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(env.TIDINGS_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    demo: env.TIDINGS_DEMO,
    // The embedded database runs one statement at a time, so more jobs at once only wait; a server overlaps them.
    workers: env.TIDINGS_WORKERS ?? (env.DATABASE_URL ? 8 : 2),
    jobLeaseMs: env.TIDINGS_JOB_LEASE_SECONDS * 1000,
    sessionTtlMs: env.TIDINGS_SESSION_HOURS * 3_600_000,
    adminEmail: env.TIDINGS_ADMIN_EMAIL,
    adminPassword: env.TIDINGS_ADMIN_PASSWORD,
    secureCookies: env.TIDINGS_SECURE_COOKIES,
    bodyLimitBytes: env.TIDINGS_BODY_LIMIT_BYTES,
    smtpUrl: env.SMTP_URL,
    smsGatewayUrl: env.TIDINGS_SMS_GATEWAY_URL,
    faxGatewayUrl: env.TIDINGS_FAX_GATEWAY_URL,
    gatewaySecret: env.TIDINGS_GATEWAY_SECRET,
    printDir: path.resolve(env.TIDINGS_PRINT_DIR ?? path.join(env.TIDINGS_DATA_DIR, 'print')),
    defaultCountry: env.TIDINGS_DEFAULT_COUNTRY,
    logLevel: env.LOG_LEVEL,
  };
}
