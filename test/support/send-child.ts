/**
 * A sender process for tests that kill it (kill -9) and start it again: drains one campaign from the database
 * named by CHILD_DB through the SMTP peer CHILD_SMTP, with a short lease (CHILD_LEASE_MS), then prints its result.
 */
import { openStore } from '../../src/store/db.js';
import { SmtpMailer } from '../../src/mail/smtp.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { systemClock, type Deps } from '../../src/services/deps.js';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const store = await openStore(env('CHILD_DB'));
// Timeouts short enough for a short lease (1 + 1 + 5 × 1.5 = 9.5 s < 10 s), long enough for a loaded CI machine.
const timeouts = { connectionMs: 1000, greetingMs: 1000, socketMs: 1500 };
const mailer = new SmtpMailer(env('CHILD_SMTP'), { timeouts });
const deps: Deps = { db: store.db, dialect: store.dialect, clock: systemClock, secret: env('CHILD_SECRET'), mailer, baseUrl: 'http://localhost:3000', recordIp: false };
const leaseMs = Number(env('CHILD_LEASE_MS'));
const result = await drainQueue(deps, { campaignId: env('CHILD_CAMPAIGN'), leaseMs, transactionLimitMs: 9500, backoffMs: 200, waitForRetriesMs: leaseMs * 2, log: () => {} });
process.stdout.write(`${JSON.stringify(result)}\n`);
await mailer.close();
await store.close();
