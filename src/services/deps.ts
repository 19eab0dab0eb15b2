/**
 * The small dependency objects use cases receive (STYLE.md 6). Wired once in `src/context.ts`.
 */
import type { Kysely } from 'kysely';
import type { Mailer } from '../mail/message.js';
import type { Dialect } from '../store/db.js';
import type { DB } from '../store/schema.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and the demo. */
export class FixedClock implements Clock {
  constructor(private t: Date) {}
  now(): Date {
    return new Date(this.t);
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
  set(t: Date): void {
    this.t = new Date(t);
  }
}

/** Database access for use cases. */
export interface Data {
  db: Kysely<DB>;
  dialect: Dialect;
}

/** What use cases that mail or sign links need. */
export interface Deps extends Data {
  clock: Clock;
  /** Server secret for link tokens and suppression hashes. */
  secret: string;
  mailer: Mailer;
  /** Public base URL without trailing slash. */
  baseUrl: string;
  /** Whether consent events keep the person's IP address. */
  recordIp: boolean;
  /** BOUNCE_DOMAIN: the domain of the VERP return paths (`bounces+…@`); absent: the From address's domain. */
  bounceDomain?: string | null;
}
