/**
 * The worker options the configuration gives (SMTP_RATE, SMTP_RATE_PER_HOUR, timeouts, SEND_LEASE), with one
 * pacer per process and relay, so every worker of the process (server loop, CLI drain) shares one budget.
 */
import type { Context } from '../../context.js';
import { transactionLimitMs } from '../../mail/smtp.js';
import { createPacer, type Pacer } from './pacing.js';
import type { WorkerOptions } from './send.js';

const pacers = new WeakMap<Context, Pacer>();

/** Worker options for this process's context. */
export function sendingOptions(ctx: Context): WorkerOptions {
  const s = ctx.config.sending;
  let pacer = pacers.get(ctx);
  if (!pacer) {
    pacer = createPacer(ctx.store.db, ctx.store.dialect, ctx.deps.mailer.relay ?? 'outbox', { perSecond: s.ratePerSecond, perHour: s.ratePerHour });
    pacers.set(ctx, pacer);
  }
  return { pacer, leaseMs: s.leaseMs, transactionLimitMs: transactionLimitMs(s.timeouts) };
}
