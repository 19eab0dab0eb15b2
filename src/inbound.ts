/**
 * Starts the routes by which mail comes back (issue 12), each only when configured (config-inbound.ts): the
 * SMTP receiver for the bounce domain and the IMAP poller of a bounce mailbox. Webhooks are routes of the web
 * app (web/routes/webhooks.route.ts). `consentry serve` starts this with the web server.
 */
import type { InboundConfig } from './config-inbound.js';
import { startBounceReceiver } from './mail/bounce-receiver.js';
import { startBouncePoller } from './mail/bounce-poller.js';
import type { EventDeps } from './services/events/delivery-events.js';
import { ingestMailReport, isKnownVerpAddress, type EventLog } from './services/events/mail-reports.js';

export interface RunningInbound {
  /** The SMTP receiver's port, or null when it is off. */
  smtpPort: number | null;
  stop(): Promise<void>;
}

/** @throws Error when the SMTP port cannot be bound */
export async function startInbound(deps: EventDeps, config: InboundConfig, log: EventLog): Promise<RunningInbound> {
  const stops: Array<() => Promise<void>> = [];
  let smtpPort: number | null = null;
  if (config.smtp) {
    const s = config.smtp;
    const receiver = await startBounceReceiver({
      host: s.host,
      port: s.port,
      hostname: s.domain,
      maxBytes: s.maxBytes,
      perMinute: s.perMinute,
      accepts: async (address) => (await isKnownVerpAddress(deps, address, s.domain)) !== null,
      deliver: async (raw, recipients) => {
        await ingestMailReport(deps, log, { raw, route: 'smtp', envelopeRecipients: recipients, maxBytes: s.maxBytes });
      },
      onRefusal: (reason, remoteAddress) => log.warn({ route: 'smtp', reason, remoteAddress }, 'bounce receiver refused'),
    });
    smtpPort = receiver.port;
    stops.push(receiver.close);
    log.info({ route: 'smtp', port: receiver.port, domain: s.domain }, 'bounce receiver listening');
  }
  if (config.imap) {
    const poller = startBouncePoller({
      ...config.imap,
      handle: async (raw, declaredSize) => {
        await ingestMailReport(deps, log, { raw, route: 'imap', maxBytes: config.imap!.maxBytes, ...(declaredSize ? { declaredSize } : {}) });
      },
      log,
    });
    stops.push(poller.stop);
  }
  return { smtpPort, stop: async () => { for (const s of stops.reverse()) await s(); } };
}
