/**
 * Start-up wiring: opens the store, loads the secret, picks the transport, and hands out the small
 * dependency objects. The only module that knows every concrete implementation.
 */
import type { Config } from './config.js';
import { createMailer } from './mail/transport.js';
import type { Mailer } from './mail/message.js';
import { openStore, type Store } from './store/db.js';
import { ensureSecret, getSetting, putSetting } from './store/settings.js';
import { systemClock, type Clock, type Deps } from './services/deps.js';
import { rememberMailRelay } from './services/organisation/notice-admin.js';

export interface Context {
  config: Config;
  store: Store;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * Records the public URL the server runs with, so that CLI commands started in another shell (without the
 * same PORT or CONSENTRY_BASE_URL) put the same links in the mail they send.
 */
export async function rememberBaseUrl(ctx: Context): Promise<void> {
  await putSetting(ctx.store.db, 'public_base_url', ctx.deps.baseUrl);
}

/**
 * Opens everything the product needs.
 * @param overrides a clock or mailer to use instead of the real ones (tests, demo)
 */
export async function createContext(config: Config, overrides: { clock?: Clock; mailer?: Mailer } = {}): Promise<Context> {
  const store = await openStore(config.database);
  const secret = await ensureSecret(store.db, config.secret);
  const baseUrl = config.baseUrl ?? (await getSetting<string>(store.db, 'public_base_url')) ?? `http://localhost:${config.port}`;
  const mailer =
    overrides.mailer ??
    createMailer({
      smtpUrl: config.smtpUrl,
      outboxDir: config.paths.outbox,
      ...(config.dkim ? { dkim: config.dkim } : {}),
      ...(config.sending && { connections: config.sending.connections, timeouts: config.sending.timeouts }),
    });
  // The notice must name the mail provider when one sends the mail (notice-admin.ts noticeConditions).
  await rememberMailRelay({ db: store.db, dialect: store.dialect }, mailer.relay ?? null);
  const deps: Deps = {
    db: store.db,
    dialect: store.dialect,
    clock: overrides.clock ?? systemClock,
    secret,
    mailer,
    baseUrl,
    recordIp: config.recordIp,
    bounceDomain: config.inbound.bounceDomain,
  };
  return {
    config,
    store,
    deps,
    close: async () => {
      await mailer.close();
      await store.close();
    },
  };
}
