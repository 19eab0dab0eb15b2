/**
 * The running server: the web app plus the background jobs — the sending worker (polls the delivery queue),
 * the webhook worker (the webhook outbox), ledger checkpoints, and whatever other periodic jobs are registered. `consentry serve` and the demo use it.
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from './context.js';
import { runRetention } from './services/rights/retention.js';
import { startDueCampaigns } from './services/campaigns/schedule.js';
import { deliverDueWebhooks } from './services/webhooks/deliver.js';
import { SendWorker } from './services/campaigns/send.js';
import { sendingOptions } from './services/campaigns/sending-config.js';
import { compactKeptCounts } from './store/dashboard.js';
import { takeCheckpoint } from './store/ledger.js';
import { buildApp } from './web/app.js';
import { startInbound, type RunningInbound } from './inbound.js';

export interface Job {
  name: string;
  /** Interval between runs, ms. */
  everyMs: number;
  run(): Promise<unknown>;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The bounce SMTP receiver's port, or null when it is off. */
  bounceSmtpPort: number | null;
  stop(): Promise<void>;
}

/** The server's periodic jobs. */
export function defaultJobs(ctx: Context): Job[] {
  const worker = new SendWorker(ctx.deps, sendingOptions(ctx));
  return [
    {
      name: 'send',
      everyMs: 2_000,
      run: async () => {
        // Keep claiming while there is work; a round with nothing claimed ends this run.
        while ((await worker.round()).claimed > 0);
        await worker.flush();
      },
    },
    // Scheduled campaigns; also at start, so one that came due while the server was down starts now.
    { name: 'schedule', everyMs: 15_000, run: () => startDueCampaigns(ctx.deps) },
    {
      // Webhooks out: a job of its own, so a slow receiver never holds up the sending job.
      name: 'webhooks',
      everyMs: 1_000,
      run: async () => {
        while ((await deliverDueWebhooks(ctx.deps, { allowPrivate: ctx.config.webhooksAllowPrivate })).attempted > 0);
      },
    },
    // PostgreSQL's kept dashboard counts are delta rows (migration 017): summed per key, so readers stay fast.
    { name: 'counts-compact', everyMs: 5 * 60_000, run: () => compactKeptCounts(ctx.store.db, ctx.store.dialect) },
    { name: 'ledger-checkpoint', everyMs: 5 * 60_000, run: () => takeCheckpoint(ctx.store.db, ctx.store.dialect, ctx.deps.clock.now()) },
    // Retention (GDPR 5(1)(e)): erases what the rules say, logging each run; hourly and once at start, so the
    // notice's "within a day" holds.
    { name: 'retention', everyMs: 3600_000, run: () => runRetention(ctx.deps, { dryRun: false, outboxDir: ctx.config.paths.outbox }) },
  ];
}

/**
 * Starts the web app and the jobs. A job that fails is logged and tried again at its next interval.
 * @param opts.port 0 picks a free port
 */
export async function startServer(ctx: Context, opts: { host: string; port: number; jobs?: Job[]; logger?: boolean }): Promise<RunningServer> {
  const app = await buildApp(ctx.deps, { logger: opts.logger ?? false, logLevel: ctx.config.logLevel, trustProxy: ctx.config.trustProxy, webhooks: ctx.config.inbound.webhooks, webhooksOut: { allowPrivate: ctx.config.webhooksAllowPrivate }, mediaDir: ctx.config.paths.media, signupLimits: { perHour: ctx.config.signupMaxPerHour } });
  const url = await app.listen({ host: opts.host, port: opts.port });
  // Bounces and complaints by SMTP and IMAP, each only when configured (issue 12).
  const inbound: RunningInbound = await startInbound(ctx.deps, ctx.config.inbound, {
    info: (fields, msg) => app.log.info(fields, msg),
    warn: (fields, msg) => app.log.warn(fields, msg),
  });
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  for (const job of opts.jobs ?? defaultJobs(ctx)) {
    let busy = false;
    const tick = () => {
      if (busy) return;
      busy = true;
      const p = job
        .run()
        .catch((err: unknown) => app.log.error({ job: job.name, err }, 'job failed'))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    };
    timers.push(setInterval(tick, job.everyMs));
    tick();
  }
  return {
    app,
    url,
    bounceSmtpPort: inbound.smtpPort,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await inbound.stop();
      await Promise.all(running);
      await app.close();
    },
  };
}
