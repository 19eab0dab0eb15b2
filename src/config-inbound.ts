/**
 * The configuration of the routes by which bounces and complaints come in (issue 12), part of the one
 * configuration (config.ts): each route is off until its variables are set. Errors name the variable.
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';

const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as bounces.deboon.nl');
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** The environment variables of the inbound routes (merged into config.ts's schema). */
export const INBOUND_ENV = {
  BOUNCE_DOMAIN: domain.optional(),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BOUNCE_SMTP_HOST: z.string().min(1).optional(),
  BOUNCE_SMTP_MAX_BYTES: z.coerce.number().int().min(64 * 1024).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
  BOUNCE_SMTP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  BOUNCE_IMAP_URL: z
    .url()
    .refine((u) => /^imaps?:\/\//.test(u), { message: 'must be an imap:// or imaps:// URL such as imaps://user:password@mail.deboon.nl/INBOX' })
    .refine((u) => !!new URL(u).username && !!new URL(u).password, { message: 'must carry the user name and password (imaps://user:password@host/INBOX; %-encode special characters)' })
    .optional(),
  BOUNCE_IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  SES_SNS_TOPIC_ARNS: list
    .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'each must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ses-bounces')).min(1))
    .optional(),
  POSTMARK_WEBHOOK_USER: z.string().min(1).optional(),
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(16, 'must be at least 16 characters').optional(),
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(16, 'must be the HTTP webhook signing key from Mailgun (at least 16 characters)').optional(),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z
    .string()
    .refine((k) => {
      try {
        createPublicKey({ key: Buffer.from(k.replace(/-----[^-]+-----|\s/g, ''), 'base64'), format: 'der', type: 'spki' });
        return true;
      } catch {
        return false;
      }
    }, { message: 'must be the verification key SendGrid shows for the signed event webhook (base64 of an ECDSA public key)' })
    .optional(),
  BREVO_WEBHOOK_USER: z.string().min(1).optional(),
  BREVO_WEBHOOK_PASSWORD: z.string().min(16, 'must be at least 16 characters').optional(),
  WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
};

type InboundEnv = z.infer<ReturnType<typeof z.object<typeof INBOUND_ENV>>>;

export interface InboundConfig {
  /** BOUNCE_DOMAIN, lower case: the domain of every VERP return path, or null (the From address's domain). */
  bounceDomain: string | null;
  /** The SMTP receiver for VERP addresses at `domain`, or null (off). */
  smtp: { host: string; port: number; domain: string; maxBytes: number; perMinute: number } | null;
  /** IMAP polling of a bounce mailbox, or null (off). */
  imap: { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string; pollMs: number; maxBytes: number } | null;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  ses: { topicArns: string[] } | null;
  postmark: { user: string; password: string } | null;
  mailgun: { signingKey: string } | null;
  /** SPKI DER of SendGrid's verification key. */
  sendgrid: { publicKey: Buffer } | null;
  brevo: { user: string; password: string } | null;
  /** Older signed timestamps are refused as replays, seconds. */
  maxAgeSeconds: number;
}

const pair = (user: string | undefined, password: string | undefined, prefix: string): { user: string; password: string } | null => {
  if (!user && !password) return null;
  if (!user || !password) throw new Error(`invalid configuration:\n  ${prefix}_USER and ${prefix}_PASSWORD go together: set both or neither`);
  return { user, password };
};

/**
 * The inbound routes from validated variables.
 * @param host the server's HOST (default address of the SMTP receiver)
 * @throws Error "invalid configuration: …" naming the variables that must go together
 */
export function inboundConfig(e: InboundEnv, host: string): InboundConfig {
  if (e.BOUNCE_SMTP_PORT !== undefined && !e.BOUNCE_DOMAIN) {
    throw new Error('invalid configuration:\n  BOUNCE_DOMAIN: required with BOUNCE_SMTP_PORT (the domain of the bounces+…@ addresses the receiver accepts)');
  }
  let imap: InboundConfig['imap'] = null;
  if (e.BOUNCE_IMAP_URL) {
    const u = new URL(e.BOUNCE_IMAP_URL);
    const secure = u.protocol === 'imaps:';
    imap = {
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : secure ? 993 : 143,
      secure,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
      pollMs: e.BOUNCE_IMAP_POLL_SECONDS * 1000,
      maxBytes: e.BOUNCE_SMTP_MAX_BYTES,
    };
  }
  return {
    bounceDomain: e.BOUNCE_DOMAIN?.toLowerCase() ?? null,
    smtp: e.BOUNCE_SMTP_PORT !== undefined
      ? { host: e.BOUNCE_SMTP_HOST ?? host, port: e.BOUNCE_SMTP_PORT, domain: e.BOUNCE_DOMAIN!.toLowerCase(), maxBytes: e.BOUNCE_SMTP_MAX_BYTES, perMinute: e.BOUNCE_SMTP_PER_MINUTE }
      : null,
    imap,
    webhooks: {
      ses: e.SES_SNS_TOPIC_ARNS ? { topicArns: e.SES_SNS_TOPIC_ARNS } : null,
      postmark: pair(e.POSTMARK_WEBHOOK_USER, e.POSTMARK_WEBHOOK_PASSWORD, 'POSTMARK_WEBHOOK'),
      mailgun: e.MAILGUN_WEBHOOK_SIGNING_KEY ? { signingKey: e.MAILGUN_WEBHOOK_SIGNING_KEY } : null,
      sendgrid: e.SENDGRID_WEBHOOK_PUBLIC_KEY ? { publicKey: Buffer.from(e.SENDGRID_WEBHOOK_PUBLIC_KEY.replace(/-----[^-]+-----|\s/g, ''), 'base64') } : null,
      brevo: pair(e.BREVO_WEBHOOK_USER, e.BREVO_WEBHOOK_PASSWORD, 'BREVO_WEBHOOK'),
      maxAgeSeconds: e.WEBHOOK_MAX_AGE_SECONDS,
    },
  };
}

/** No route configured: what tests and the CLI get. */
export const NO_INBOUND: InboundConfig = {
  bounceDomain: null,
  smtp: null,
  imap: null,
  webhooks: { ses: null, postmark: null, mailgun: null, sendgrid: null, brevo: null, maxAgeSeconds: 300 },
};
