import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '../support/stores.js';
import { ORG, STATED, TIPS } from '../support/setup.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { startServer } from '../../src/server.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { addWebhookEndpoint, webhookDeliveries } from '../../src/services/webhooks/endpoints.js';
import { queueWebhookEvent } from '../../src/services/webhooks/emit.js';
import { verifyWebhook } from '../../src/core/webhooks.js';
import { startReceiver, until } from './receiver.js';

it('the server (`consentry serve`) starts the webhook worker, which delivers queued messages', async () => {
  const store = await sqliteStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'consentry-webhooks-serve-'));
  const config = { ...loadConfig({ CONSENTRY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', CONSENTRY_WEBHOOKS_ALLOW_PRIVATE: 'true' }), database: store.target };
  const receiver = await startReceiver(() => ({ status: 200 }));
  const ctx = await createContext(config);
  const server = await startServer(ctx, { host: '127.0.0.1', port: 0 });
  try {
    await initialise(ctx.deps, { organisation: ORG, purpose: TIPS, notice: STATED });
    const { secret } = await addWebhookEndpoint(ctx.deps, { url: receiver.url, events: ['campaign.finished'] }, { allowPrivate: config.webhooksAllowPrivate });
    await queueWebhookEvent(ctx.deps.db, 'campaign.finished', { campaignId: 'c1', deliveries: { sent: 3 } }, ctx.deps.clock.now());
    await until(async () => (await webhookDeliveries(ctx.deps))[0]?.state === 'delivered', 'the worker to deliver');
    const r = receiver.received[0]!;
    assert.ok(verifyWebhook(secret, String(r.headers['webhook-id']), Number(r.headers['webhook-timestamp']), r.body, String(r.headers['webhook-signature'])));
    assert.deepEqual(JSON.parse(r.body).data, { campaignId: 'c1', deliveries: { sent: 3 } });
  } finally {
    await server.stop();
    await ctx.close();
    await receiver.close();
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
