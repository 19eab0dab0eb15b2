/**
 * One Consentry sender process for bench/send.ts: drains one campaign through SMTP and prints its own figures
 * as JSON (sent, wall ms, CPU ms user+system, peak RSS MB). Usage:
 *   node bench/data/send-child.mjs <database> <smtp-url> <campaign-id> <secret> [dkim-key.pem]
 * BENCH_STOP_AFTER=n stops after about n messages (the flat-cost run sends the first 20,000 of a larger campaign).
 * BENCH_MEM=1 prints process.memoryUsage() every ~2,000 messages; BENCH_HEAP=<file> writes a heap snapshot at the end.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { openStore } from '../src/store/db.js';
import { SmtpMailer } from '../src/mail/smtp.js';
import { SendWorker } from '../src/services/campaigns/send.js';
import { systemClock, type Deps } from '../src/services/deps.js';

// As bin/consentry.js sets it for every server and command process.
setFlagsFromString('--heap-growing-percent=10');
const [database, smtpUrl, campaignId, secret, dkimFile] = process.argv.slice(2);
const store = await openStore(database!);
const mailer = new SmtpMailer(smtpUrl!, {
  maxConnections: Number(process.env.SMTP_CONNECTIONS ?? 5),
  ...(dkimFile && { dkim: { domainName: 'deboon.example', keySelector: 'bench', privateKey: readFileSync(dkimFile, 'utf8') } }),
});
const deps: Deps = { db: store.db, dialect: store.dialect, clock: systemClock, secret: secret!, mailer, baseUrl: 'https://nieuws.deboon.example', recordIp: false };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const stopAfter = Number(process.env.BENCH_STOP_AFTER ?? Infinity);
const worker = new SendWorker(deps, { campaignId: campaignId!, log: () => {} });
const r = { sent: 0, failed: 0, retried: 0 };
for (;;) {
  const round = await worker.round();
  r.sent += round.sent;
  r.failed += round.failed;
  r.retried += round.retried;
  if (round.claimed === 0 || r.sent >= stopAfter) break;
  if (process.env.BENCH_MEM && r.sent % 2000 < 100) {
    const m = process.memoryUsage();
    process.stderr.write(`sent ${r.sent}: rss ${(m.rss / 1e6).toFixed(0)} heapTotal ${(m.heapTotal / 1e6).toFixed(0)} heapUsed ${(m.heapUsed / 1e6).toFixed(0)} external ${(m.external / 1e6).toFixed(0)} arrayBuffers ${(m.arrayBuffers / 1e6).toFixed(0)}\n`);
  }
}
if (process.env.BENCH_HEAP) (await import('node:v8')).writeHeapSnapshot(process.env.BENCH_HEAP);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ sent: r.sent, failed: r.failed, retried: r.retried, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
await mailer.close();
await store.close();
