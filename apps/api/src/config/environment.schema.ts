import { isIP } from 'node:net';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Blank values count as unset, so `PORT=` in an env file falls back to the default. */
function blankAsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }, schema);
}

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const baseUrl = (name: string, fallback: string) =>
  blankAsUnset(
    z
      .string()
      .refine((value) => isUrlWithProtocol(value, ['https:', 'http:']), {
        message: `${name} must be an absolute http(s) URL`,
      })
      .transform((value) => value.replace(/\/+$/, ''))
      .default(fallback),
  );

/**
 * The raw environment the service understands. Every variable is optional with a documented
 * default (see `.env.example`); the schema decides whether a given value is acceptable and
 * each message names its variable, so one boot error can list every bad one.
 */
const nonNegativeInteger = (name: string, fallback: number, max: number) =>
  blankAsUnset(
    z
      .string()
      .refine((value) => /^\d{1,9}$/.test(value) && Number(value) <= max, {
        message: `${name} must be an integer between 0 and ${max}`,
      })
      .transform(Number)
      .default(fallback),
  );

export const environmentSchema = z.object({
  PORT: blankAsUnset(
    z
      .string()
      .refine((value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535, {
        message: 'PORT must be an integer between 1 and 65535',
      })
      .transform(Number)
      .default(3000),
  ),
  ENTRA_BACKUP_DATA_DIR: blankAsUnset(z.string().default('./data')),
  ENTRA_BACKUP_PORTAL_DIR: blankAsUnset(z.string().optional()),
  ENTRA_BACKUP_MASTER_KEY: blankAsUnset(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, {
        message:
          'ENTRA_BACKUP_MASTER_KEY must be the base64 encoding of exactly 32 bytes (e.g. `openssl rand -base64 32`)',
      })
      .optional(),
  ),
  DATABASE_URL: blankAsUnset(
    z
      .string()
      .refine((value) => isUrlWithProtocol(value, ['postgres:', 'postgresql:']), {
        message: 'DATABASE_URL must start with postgres:// or postgresql://',
      })
      .optional(),
  ),
  LOG_LEVEL: blankAsUnset(
    z.enum(LOG_LEVELS, { error: () => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  NODE_ENV: blankAsUnset(
    z
      .enum(NODE_ENVS, { error: () => `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
      .default('development'),
  ),
  GRAPH_BASE_URL: baseUrl('GRAPH_BASE_URL', 'https://graph.microsoft.com'),
  LOGIN_BASE_URL: baseUrl('LOGIN_BASE_URL', 'https://login.microsoftonline.com'),
  AZURE_CLIENT_ID: blankAsUnset(
    z
      .string()
      .regex(GUID, {
        message: 'AZURE_CLIENT_ID must be a GUID (the application (client) id of the app registration)',
      })
      .optional(),
  ),
  AZURE_CLIENT_SECRET: blankAsUnset(z.string().optional()),
  AZURE_CLIENT_CERTIFICATE_PATH: blankAsUnset(z.string().optional()),
  // Not trimmed: spaces at either end of a passphrase are part of it.
  AZURE_CLIENT_CERTIFICATE_PASSWORD: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().optional(),
  ),
  ENTRA_BACKUP_PUBLIC_URL: blankAsUnset(
    z
      .string()
      .refine((value) => isUrlWithProtocol(value, ['https:', 'http:']) && new URL(value).pathname === '/', {
        message:
          'ENTRA_BACKUP_PUBLIC_URL must be the http(s) origin the browser uses, such as https://backup.contoso.com',
      })
      .transform((value) => new URL(value).origin)
      .optional(),
  ),
  ENTRA_BACKUP_SESSION_SECRET: blankAsUnset(
    z.string().min(32, { message: 'ENTRA_BACKUP_SESSION_SECRET must be at least 32 characters' }).optional(),
  ),
  ENTRA_BACKUP_CA_FILE: blankAsUnset(z.string().optional()),
  /** Mail server for notifications (`smtp://user:pass@host:587`, `smtps://...`); unset: recorded only. */
  SMTP_URL: blankAsUnset(
    z
      .string()
      .refine((value) => isUrlWithProtocol(value, ['smtp:', 'smtps:']), {
        message:
          'SMTP_URL must start with smtp:// or smtps://, such as smtp://user:password@mail.contoso.com:587',
      })
      .optional(),
  ),
  /** The sender of notification mail. */
  SMTP_FROM: blankAsUnset(z.string().max(256).default('Entra Backup <entra-backup@localhost>')),
  ENTRA_BACKUP_DEMO_PORT: blankAsUnset(
    z
      .string()
      .refine((value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535, {
        message: 'ENTRA_BACKUP_DEMO_PORT must be an integer between 1 and 65535',
      })
      .transform(Number)
      .default(8443),
  ),
  // The address the demo emulator listens on: loopback by default; the container image sets
  // 0.0.0.0 so its sign-in page is reachable through a published port (its URLs stay 127.0.0.1).
  ENTRA_BACKUP_DEMO_HOST: blankAsUnset(
    z
      .string()
      .refine((value) => isIP(value) !== 0, {
        message: 'ENTRA_BACKUP_DEMO_HOST must be an IP address, such as 127.0.0.1 or 0.0.0.0',
      })
      .default('127.0.0.1'),
  ),
  // The bearer token of the demo emulator's control API (ground truth, BitLocker keys included);
  // a random one per start when unset. Tests that drive a demo server set it to share it.
  ENTRA_BACKUP_DEMO_CONTROL_TOKEN: blankAsUnset(
    z
      .string()
      .min(16, { message: 'ENTRA_BACKUP_DEMO_CONTROL_TOKEN must be at least 16 characters' })
      .optional(),
  ),
  ENTRA_BACKUP_DEMO_TENANTS: blankAsUnset(
    z
      .string()
      .refine((value) => /^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 12, {
        message: 'ENTRA_BACKUP_DEMO_TENANTS must be an integer between 1 and 12',
      })
      .transform(Number)
      .default(2),
  ),
  // Requests per minute each API key may make (0: no limit), and how many more it may make in a
  // burst (refilled over ten minutes).
  ENTRA_BACKUP_API_RATE_LIMIT: nonNegativeInteger('ENTRA_BACKUP_API_RATE_LIMIT', 600, 1_000_000),
  ENTRA_BACKUP_API_RATE_BURST: nonNegativeInteger('ENTRA_BACKUP_API_RATE_BURST', 120, 1_000_000),
  // Where several processes keep the per-key rate-limit counters (otherwise PostgreSQL, when the
  // database is PostgreSQL, or the process's memory).
  REDIS_URL: blankAsUnset(
    z
      .string()
      .refine((value) => isUrlWithProtocol(value, ['redis:', 'rediss:']), {
        message: 'REDIS_URL must start with redis:// or rediss://',
      })
      .optional(),
  ),
});

export type Environment = z.output<typeof environmentSchema>;
