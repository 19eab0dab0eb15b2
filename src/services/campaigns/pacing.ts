/**
 * Pacing (issue 11 point 5): a token bucket per relay that every worker of the process shares, with
 * `SMTP_RATE` messages per second and `SMTP_RATE_PER_HOUR`. A throttling reply (421, 4.7.x) lowers the rate at
 * once to 0.7 of the observed rate (at most once a second, so one burst of refusals counts once; 0.7 as TCP CUBIC); after a quiet second the rate grows back
 * by 5 % + 0.2 msg/s per second up to the configured one (additive-increase, multiplicative-decrease, as TCP).
 * Without a configured rate nothing waits until the relay throttles; the rate it then learns is the rate
 * observed over the last second × 0.7.
 *
 * `SharedPacer` keeps the bucket in the database (relay_budgets), so several sender processes on PostgreSQL
 * share one budget per relay: each takes a grant of about 50 ms worth of tokens in one short transaction, and a
 * throttling reply seen by one lowers the rate in the row for all (once per second for all of them together).
 * Without a configured rate the shared row has no limit until the relay throttles; the rate it then learns is
 * this process's observed rate × 0.7, less than all senders together did, so it errs on the slow side and
 * grows back.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/db.js';
import type { DB } from '../../store/schema.js';

export interface PacingLimits {
  /** Messages per second, or null for no limit. */
  perSecond: number | null;
  /** Messages per hour, or null for no limit. */
  perHour: number | null;
}

export interface Pacer {
  /** Resolves when one more message may start. */
  take(): Promise<void>;
  /** The relay answered with a throttling reply: slow down. */
  throttled(): Promise<void>;
  /** The rate currently allowed, msg/s (null: no limit). */
  currentRate(): number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUIET_MS = 1000;
const MIN_RATE = 0.5;
/** What a throttling reply multiplies the rate by. */
const BACK_OFF = 0.7;

/** The rate's recovery after `dtS` quiet seconds. */
const grow = (rate: number, dtS: number) => rate * 1.05 ** dtS + 0.2 * dtS;
/** Burst size: a tenth of a second's worth, at least one message. */
const burst = (rate: number) => Math.max(1, rate / 10);
const hourBurst = (perHour: number) => Math.max(1, perHour / 60);

/** Start times of the last messages, for the rate observed over the last second. */
class RecentStarts {
  private readonly times = new Float64Array(512);
  private n = 0;
  note(t: number): void {
    this.times[this.n++ % this.times.length] = t;
  }
  /** Messages started per second over the last second (or over the span of the last 512). */
  rate(now: number): number {
    const size = Math.min(this.n, this.times.length);
    let count = 0;
    let oldest = now;
    for (let i = 0; i < size; i++) {
      const t = this.times[i]!;
      if (now - t <= 1000) {
        count++;
        oldest = Math.min(oldest, t);
      }
    }
    if (count === this.times.length) return (count * 1000) / Math.max(1, now - oldest);
    return count;
  }
}

/** The bucket in this process only. */
export class LocalPacer implements Pacer {
  private rate: number;
  private tokens: number;
  private hourTokens: number;
  private last = performance.now();
  private throttledAt = -Infinity;
  private readonly starts = new RecentStarts();

  constructor(private readonly limits: PacingLimits) {
    this.rate = limits.perSecond ?? Infinity;
    this.tokens = burst(this.rate);
    this.hourTokens = limits.perHour ? hourBurst(limits.perHour) : Infinity;
  }

  currentRate(): number | null {
    return Number.isFinite(this.rate) ? this.rate : null;
  }

  private refill(now: number): void {
    const dtS = (now - this.last) / 1000;
    this.last = now;
    const configured = this.limits.perSecond ?? Infinity;
    if (this.rate < configured && now - this.throttledAt > QUIET_MS) {
      this.rate = grow(this.rate, dtS);
      // Learned back far above anything the relay refused: no limit again.
      if (this.rate >= configured || this.rate > 10_000) this.rate = configured;
    }
    if (Number.isFinite(this.rate)) this.tokens = Math.min(burst(this.rate), this.tokens + dtS * this.rate);
    if (this.limits.perHour) this.hourTokens = Math.min(hourBurst(this.limits.perHour), this.hourTokens + (dtS * this.limits.perHour) / 3600);
  }

  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.refill(now);
      const perSecondOk = !Number.isFinite(this.rate) || this.tokens >= 1;
      const perHourOk = this.hourTokens >= 1;
      if (perSecondOk && perHourOk) {
        if (Number.isFinite(this.rate)) this.tokens -= 1;
        if (this.limits.perHour) this.hourTokens -= 1;
        this.starts.note(now);
        return;
      }
      const waitS = Math.max(perSecondOk ? 0 : (1 - this.tokens) / this.rate, perHourOk ? 0 : ((1 - this.hourTokens) * 3600) / this.limits.perHour!);
      await sleep(Math.max(1, Math.ceil(waitS * 1000)));
    }
  }

  async throttled(): Promise<void> {
    const now = performance.now();
    if (now - this.throttledAt < QUIET_MS) return;
    this.refill(now);
    this.throttledAt = now;
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, Math.max(1, this.starts.rate(now))) * BACK_OFF);
    this.tokens = 0;
  }
}

/**
 * The bucket in the database, shared by every process sending through `relay`. Wall-clock ms (the senders'
 * clocks are assumed to agree to well under a second).
 */
export class SharedPacer implements Pacer {
  private granted = 0;
  private readonly starts = new RecentStarts();
  private rate: number | null;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly relay: string,
    private readonly limits: PacingLimits,
  ) {
    this.rate = limits.perSecond;
  }

  currentRate(): number | null {
    return this.rate;
  }

  async take(): Promise<void> {
    for (;;) {
      if (this.granted >= 1) {
        this.granted--;
        this.starts.note(performance.now());
        return;
      }
      // One grant request at a time per process; the others wait for it.
      const turn = this.busy.then(() => (this.granted >= 1 ? 0 : this.acquire()));
      this.busy = turn.then(() => undefined, () => undefined);
      const waitMs = await turn;
      if (waitMs > 0) await sleep(waitMs);
    }
  }

  /** Takes a grant from the row. @returns ms to wait before asking again (0 when granted) */
  private async acquire(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const row = await this.lockRow(trx, now);
      const configured = this.limits.perSecond ?? Infinity;
      const dtS = Math.max(0, (now - row.updated_ms) / 1000);
      // A rate kept from an earlier, higher SMTP_RATE gives way to the one configured now.
      let rate = Math.min(row.rate ?? Infinity, configured);
      if (rate < configured && now - row.throttled_ms > QUIET_MS) {
        rate = grow(rate, dtS);
        if (rate >= configured || rate > 10_000) rate = configured;
      }
      const tokens = Number.isFinite(rate) ? Math.min(burst(rate), row.tokens + dtS * rate) : Infinity;
      const perHour = this.limits.perHour;
      const hourTokens = perHour ? Math.min(hourBurst(perHour), row.hour_tokens + (dtS * perHour) / 3600) : Infinity;
      const want = Number.isFinite(rate) ? Math.max(1, Math.ceil(rate * 0.05)) : 50;
      const grant = Math.min(want, Math.floor(tokens), Math.floor(hourTokens));
      this.rate = Number.isFinite(rate) ? rate : null;
      await trx
        .updateTable('relay_budgets')
        .set({
          tokens: Number.isFinite(tokens) ? tokens - Math.max(0, grant) : 0,
          hour_tokens: Number.isFinite(hourTokens) ? hourTokens - Math.max(0, grant) : 0,
          rate: Number.isFinite(rate) ? rate : null,
          updated_ms: now,
        })
        .where('relay', '=', this.relay)
        .execute();
      if (grant >= 1) {
        this.granted += grant;
        return 0;
      }
      const waitS = Math.max(tokens < 1 ? (1 - tokens) / rate : 0, hourTokens < 1 ? ((1 - hourTokens) * 3600) / perHour! : 0);
      return Math.max(1, Math.ceil(waitS * 1000));
    });
  }

  private async lockRow(trx: Kysely<DB>, now: number) {
    await trx
      .insertInto('relay_budgets')
      .values({ relay: this.relay, tokens: 1, hour_tokens: 1, rate: this.limits.perSecond, updated_ms: now, throttled_ms: 0 })
      .onConflict((oc) => oc.column('relay').doNothing())
      .execute();
    let q = trx.selectFrom('relay_budgets').selectAll().where('relay', '=', this.relay);
    if (this.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirstOrThrow();
    return { ...row, tokens: Number(row.tokens), hour_tokens: Number(row.hour_tokens), rate: row.rate === null ? null : Number(row.rate), updated_ms: Number(row.updated_ms), throttled_ms: Number(row.throttled_ms) };
  }

  async throttled(): Promise<void> {
    this.granted = 0;
    await this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const row = await this.lockRow(trx, now);
      if (now - row.throttled_ms < QUIET_MS) return;
      const rate = Math.max(MIN_RATE, (row.rate ?? Math.max(1, this.starts.rate(performance.now()))) * BACK_OFF);
      this.rate = rate;
      await trx.updateTable('relay_budgets').set({ rate, tokens: 0, throttled_ms: now, updated_ms: now }).where('relay', '=', this.relay).execute();
    });
  }
}

/**
 * The pacer for a relay: on PostgreSQL shared through the database (several sender processes share the
 * configured limits and what a throttling relay taught any of them), on SQLite (one process) local.
 */
export function createPacer(db: Kysely<DB>, dialect: Dialect, relay: string, limits: PacingLimits): Pacer {
  return dialect === 'postgres' ? new SharedPacer(db, dialect, relay, limits) : new LocalPacer(limits);
}
