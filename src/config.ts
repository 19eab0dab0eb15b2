/**
 * The one typed configuration, read from the environment and validated at start. Every setting is listed in
 * the README's configuration table. Invalid values fail start-up with the variable's name and the problem.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { INBOUND_ENV, inboundConfig, type InboundConfig } from './config-inbound.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** One TRUST_PROXY entry: an IP address, a CIDR range, or a name proxy-addr knows for a set of ranges. */
const isProxyEntry = (x: string): boolean => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(x)) return true;
  const [ip = '', bits, ...rest] = x.split('/');
  const family = isIP(ip);
  if (!family || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

/** A whole number written in decimal digits only (no 0x, no exponent, no sign, no spaces), within [min, max]. */
const digits = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be ${what} written in decimal digits (${min}–${max})`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${what} from ${min} to ${max}`);

/** A host name (RFC 1123 labels) or an IP address, as `listen` takes it. */
const isHost = (x: string): boolean =>
  isIP(x) !== 0 || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(x);

/** Why a public base URL is not usable, or null. */
function baseUrlProblem(u: string): string | null {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return 'must be a URL such as https://nieuws.example.nl';
  }
  if (!/^https:\/\//.test(u) && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test(u))
    return 'must be an https:// URL (one-click unsubscribe links must be HTTPS, RFC 8058); http:// is only for localhost';
  if (url.username || url.password || url.search || url.hash)
    return 'must be a plain base URL: no user name or password, no ?query and no #fragment (links are built on it)';
  return null;
}

/** Log levels from the most to the least severe, as pino names them; 'silent' is off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const schema = z.object({
  CONSENTRY_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite file)')
    .optional(),
  HOST: z.string().refine(isHost, 'must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name such as localhost').default('127.0.0.1'),
  PORT: digits(0, 65535, 'a port number').default(3000),
  CONSENTRY_BASE_URL: z
    .string()
    .superRefine((u, ctx) => {
      const problem = baseUrlProblem(u);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  CONSENTRY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CONSENTRY_RECORD_IP: bool.default(true),
  CONSENTRY_WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  DKIM_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain name such as deboon.nl').optional(),
  DKIM_SELECTOR: z.string().regex(/^[a-z0-9._-]+$/i, 'must be a DNS label such as mail2026').optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      const bad = list.find((x) => !isProxyEntry(x));
      if (bad !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: v,
          message: `"${bad}" is not an IP address, a CIDR range such as 10.0.0.0/8, or loopback, linklocal or uniquelocal (list the proxies in front of the server, separated by commas)`,
        });
      }
      return list;
    })
    .optional(),
  SIGNUP_MAX_PER_HOUR: digits(1, 1_000_000, 'a number of sign-ups').default(200),
  ...INBOUND_ENV,
  SMTP_RATE: z.coerce.number().positive('must be a number of messages per second above 0').optional(),
  SMTP_RATE_PER_HOUR: z.coerce.number().int().positive('must be a whole number of messages per hour above 0').optional(),
  SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  SMTP_CONNECTION_TIMEOUT: z.coerce.number().positive().max(300).default(20),
  SMTP_GREETING_TIMEOUT: z.coerce.number().positive().max(300).default(20),
  SMTP_SOCKET_TIMEOUT: z.coerce.number().positive().max(600).default(30),
  SEND_LEASE: z.coerce.number().positive().max(3600).default(300),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** Whether a line at `level` is written when LOG_LEVEL is `setting` (pino's order; 'silent' writes nothing). */
export function logs(setting: LogLevel, level: Exclude<LogLevel, 'silent'>): boolean {
  return setting !== 'silent' && LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(setting);
}

export interface Config {
  /** Absolute path of the data directory (SQLite file, outbox, media). */
  dataDir: string;
  /**
   * Every folder the product writes files to, all inside `dataDir`, for the server and every command alike:
   * the built-in outbox (.eml files) and uploaded media.
   */
  paths: { outbox: string; media: string };
  /** A postgres:// URL, or the SQLite file's path. */
  database: string;
  host: string;
  port: number;
  /**
   * Public base URL of the pages, without a trailing slash, when CONSENTRY_BASE_URL is set. When it is not, the
   * one the server last ran with is used (see context.ts), so CLI commands in another shell link to the server.
   */
  baseUrl: string | null;
  /** SMTP server URL; unset means the built-in outbox. */
  smtpUrl: string | null;
  /** Server secret from the environment; unset means the one generated and kept in the database. */
  secret: string | null;
  /** Whether consent events record the IP address of the person. */
  recordIp: boolean;
  /** Whether webhook URLs may point at loopback and private networks (off: no SSRF into the local network). */
  webhooksAllowPrivate: boolean;
  /** DKIM signing of SMTP mail (covers List-Unsubscribe and List-Unsubscribe-Post), or null. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  logLevel: LogLevel;
  /** Reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges); empty: none, the socket's address counts. */
  trustProxy: string[];
  /** Site-wide cap on sign-ups (and so confirmation mails) per hour. */
  signupMaxPerHour: number;
  /** Routes by which bounces and complaints come in (config-inbound.ts); each off until configured. */
  inbound: InboundConfig;
  /** Sending at scale (issue 11): pacing, SMTP pool and timeouts (ms), the delivery lease (ms). */
  sending: {
    ratePerSecond: number | null;
    ratePerHour: number | null;
    connections: number;
    timeouts: { connectionMs: number; greetingMs: number; socketMs: number };
    leaseMs: number;
  };
}

/**
 * Reads the configuration.
 * @param env the environment (default process.env)
 * @throws Error listing every invalid variable with its name, e.g. "PORT: must be a port number written in decimal
 *   digits (0–65535)"; a variable set to an empty value is an error (unset it to get the default)
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(schema.shape);
  const clean = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && known.includes(k)));
  const empty = Object.entries(clean).filter(([, v]) => v!.trim() === '').map(([k]) => k);
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(clean).filter(([k]) => !empty.includes(k))));
  const lines = [
    ...empty.map((k) => `${k}: is empty; give it a value, or unset it for the default`),
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  if (lines.length > 0 || !parsed.success) throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  const e = parsed.data;
  const dkimSet = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_FILE].filter(Boolean).length;
  if (dkimSet !== 0 && dkimSet !== 3) {
    throw new Error('invalid configuration:\n  DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together: set all three or none');
  }
  let dkim: Config['dkim'] = null;
  if (dkimSet === 3) {
    let privateKey: string;
    try {
      privateKey = readFileSync(e.DKIM_PRIVATE_KEY_FILE!, 'utf8');
    } catch (err) {
      throw new Error(`invalid configuration:\n  DKIM_PRIVATE_KEY_FILE: cannot read ${e.DKIM_PRIVATE_KEY_FILE}: ${(err as Error).message}`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
      throw new Error('invalid configuration:\n  DKIM_PRIVATE_KEY_FILE: not a PEM private key');
    }
    // mail/dkim.ts signs rsa-sha256 only; another kind of key would otherwise fail every send.
    const kind = (() => {
      try {
        return createPrivateKey(privateKey).asymmetricKeyType;
      } catch (err) {
        throw new Error(`invalid configuration:\n  DKIM_PRIVATE_KEY_FILE: not a usable private key: ${(err as Error).message}`);
      }
    })();
    if (kind !== 'rsa') throw new Error(`invalid configuration:\n  DKIM_PRIVATE_KEY_FILE: an ${kind} key; DKIM signs with an RSA key (rsa-sha256)`);
    dkim = { domainName: e.DKIM_DOMAIN!, keySelector: e.DKIM_SELECTOR!, privateKey };
  }
  const timeouts = { connectionMs: e.SMTP_CONNECTION_TIMEOUT * 1000, greetingMs: e.SMTP_GREETING_TIMEOUT * 1000, socketMs: e.SMTP_SOCKET_TIMEOUT * 1000 };
  // The longest SMTP transaction (mail/smtp.ts transactionLimitMs) must end well inside the lease, or a hung
  // relay could outlive the claim and another sender would send the same message.
  const transactionMs = timeouts.connectionMs + timeouts.greetingMs + 5 * timeouts.socketMs;
  if (e.SEND_LEASE * 1000 <= transactionMs) {
    throw new Error(
      `invalid configuration:\n  SEND_LEASE: ${e.SEND_LEASE} s must be longer than the longest SMTP transaction the timeouts allow ` +
        `(SMTP_CONNECTION_TIMEOUT + SMTP_GREETING_TIMEOUT + 5 × SMTP_SOCKET_TIMEOUT = ${transactionMs / 1000} s)`,
    );
  }
  // With PostgreSQL the database is shared whatever folder a process starts in, but the outbox and media are
  // files: a default or relative folder would be a different one for the server and for a command started
  // elsewhere (issue 13 item 8). So the folder must be named, absolutely.
  if (e.DATABASE_URL && (e.CONSENTRY_DATA_DIR === undefined || !isAbsolute(e.CONSENTRY_DATA_DIR))) {
    throw new Error(
      `invalid configuration:\n  CONSENTRY_DATA_DIR: ${e.CONSENTRY_DATA_DIR === undefined ? 'not set' : `"${e.CONSENTRY_DATA_DIR}" is relative`}; ` +
        'with DATABASE_URL set it must be an absolute path (such as /var/lib/consentry), the same for the server and every command: the outbox and media files are kept there',
    );
  }
  const dataDir = resolve(e.CONSENTRY_DATA_DIR ?? './data');
  return {
    dataDir,
    paths: { outbox: join(dataDir, 'outbox'), media: join(dataDir, 'media') },
    database: e.DATABASE_URL ?? join(dataDir, 'consentry.sqlite'),
    host: e.HOST,
    port: e.PORT,
    baseUrl: e.CONSENTRY_BASE_URL?.replace(/\/+$/, '') ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    secret: e.CONSENTRY_SECRET ?? null,
    recordIp: e.CONSENTRY_RECORD_IP,
    webhooksAllowPrivate: e.CONSENTRY_WEBHOOKS_ALLOW_PRIVATE,
    dkim,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY ?? [],
    signupMaxPerHour: e.SIGNUP_MAX_PER_HOUR,
    inbound: inboundConfig(e, e.HOST),
    sending: {
      ratePerSecond: e.SMTP_RATE ?? null,
      ratePerHour: e.SMTP_RATE_PER_HOUR ?? null,
      connections: e.SMTP_CONNECTIONS,
      timeouts,
      leaseMs: e.SEND_LEASE * 1000,
    },
  };
}
