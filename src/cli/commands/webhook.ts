/**
 * `consentry webhook`: webhooks out.
 *   consentry webhook add <url> --events <e,…> [--description <text>]   (prints the signing secret once)
 *   consentry webhook list [--json]
 *   consentry webhook remove <id>
 *   consentry webhook deliveries [<id>] [--limit <n>] [--json]
 */
import type { Command } from 'commander';
import { WEBHOOK_EVENTS } from '../../core/webhooks.js';
import { addWebhookEndpoint, listEndpoints, removeWebhookEndpoint, webhookDeliveries } from '../../services/webhooks/endpoints.js';
import { printJson, printTable, withContext } from '../shared.js';

export function registerWebhook(program: Command): void {
  const webhook = program.command('webhook').description('send signed events (confirmed, unsubscribed, erased, bounced, complained, campaign finished) to your own URLs');
  webhook
    .command('add')
    .description('register a URL for events; prints the signing secret, which is not shown again')
    .argument('<url>', 'https:// URL (http:// only for localhost)')
    .requiredOption('--events <list>', `comma-separated: ${WEBHOOK_EVENTS.join(', ')}`)
    .option('--description <text>', 'what receives them, e.g. "CRM"')
    .option('--json', 'print as JSON')
    .action(async (url: string, o: { events: string; description?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const events = o.events.split(',').map((e) => e.trim()).filter(Boolean) as Array<(typeof WEBHOOK_EVENTS)[number]>;
        const r = await addWebhookEndpoint(ctx.deps, { url, events, ...(o.description ? { description: o.description } : {}) }, { allowPrivate: ctx.config.webhooksAllowPrivate });
        if (o.json) return printJson({ ...r.endpoint, secret: r.secret });
        console.log(`webhook ${r.endpoint.id} → ${r.endpoint.url}`);
        console.log(`  events: ${r.endpoint.events.join(', ')}`);
        console.log(`  signing secret (shown only now; keep it with the receiver): ${r.secret}`);
        console.log('  each POST carries webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks, v1 HMAC-SHA256)');
      });
    });
  webhook
    .command('list')
    .description('registered webhooks (without secrets)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const all = await listEndpoints(ctx.deps);
        if (o.json) return printJson(all);
        printTable(all.map((e) => ({ id: e.id, url: e.url, events: e.events.join(','), description: e.description ?? '', created: e.createdAt })));
      });
    });
  webhook
    .command('remove')
    .description('remove a webhook and its queued messages')
    .argument('<id>', 'webhook id (see `webhook list`)')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        await removeWebhookEndpoint(ctx.deps, id);
        console.log(`webhook ${id} removed`);
      });
    });
  webhook
    .command('deliveries')
    .description('messages sent or waiting, newest first, with attempts and the last answer')
    .argument('[id]', 'only this webhook')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, o: { limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const rows = await webhookDeliveries(ctx.deps, { ...(id ? { endpointId: id } : {}), limit: Number(o.limit) || 50 });
        if (o.json) return printJson(rows);
        printTable(rows.map((d) => ({
          id: d.id, webhook: d.endpointId.slice(0, 8), event: d.event, state: d.state, attempts: d.attempts,
          next: d.nextAttemptAt ?? '', last: d.lastAttemptAt ?? '', status: d.lastStatus ?? '', answer: (d.lastError ?? d.lastResponse ?? '').slice(0, 60),
        })));
      });
    });
}
