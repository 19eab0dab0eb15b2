/**
 * Bounce and complaint webhooks of mail providers (issue 12): `POST /webhooks/ses` (Amazon SES through SNS),
 * `/webhooks/postmark`, `/webhooks/mailgun`, `/webhooks/sendgrid`, `/webhooks/brevo`, each registered only when
 * its secret is configured (config-inbound.ts). A request that fails its check (credentials, signature, an old
 * timestamp: a replay) gets 401 with the reason logged; a body that is not JSON 400; anything else 200, also for
 * event types that are not bounces or complaints and for messages Consentry did not send (ignored, logged).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WebhookConfig } from '../../config-inbound.js';
import type { Deps } from '../../services/deps.js';
import type { EventLog } from '../../services/events/mail-reports.js';
import { brevoEvents, mailgunEvents, postmarkEvents, sendgridEvents } from '../../services/events/webhooks/payloads.js';
import { recordProviderEvents, type ProviderEvent } from '../../services/events/webhooks/provider-event.js';
import { checkSnsMessage, httpSnsPort, isSnsUrl, sesEvents, type SnsPort } from '../../services/events/webhooks/ses.js';
import { checkBasicAuth, checkMailgunSignature, checkSendgridSignature } from '../../services/events/webhooks/signatures.js';

export interface WebhookRouteOptions {
  deps: Deps;
  webhooks: WebhookConfig;
  snsPort?: SnsPort;
}

/** Webhook bodies are small; a provider batch (SendGrid) stays well under this, bytes. */
const BODY_LIMIT = 1024 * 1024;

export const webhookRoutes: FastifyPluginAsync<WebhookRouteOptions> = async (app, { deps, webhooks, snsPort = httpSnsPort }) => {
  // The raw body: SendGrid signs the bytes; SNS posts JSON as text/plain.
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
  const logOf = (req: FastifyRequest): EventLog => ({ info: (f, m) => req.log.info(f, m), warn: (f, m) => req.log.warn(f, m) });
  const refuse = (req: FastifyRequest, reply: FastifyReply, provider: string, reason: string) => {
    req.log.warn({ route: `webhook:${provider}`, reason }, 'webhook refused');
    return reply.code(401).send({ error: 'unauthorized', reason });
  };
  const json = (req: FastifyRequest): unknown => {
    const raw = req.body;
    if (!Buffer.isBuffer(raw)) return undefined;
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const handle = async (req: FastifyRequest, reply: FastifyReply, provider: string, events: ProviderEvent[]) => {
    const out = await recordProviderEvents(deps, logOf(req), provider, events);
    return reply.send({ received: events.length, recorded: out.recorded, ignored: out.ignored.length });
  };
  const badJson = (reply: FastifyReply) => reply.code(400).send({ error: 'invalid', reason: 'the body must be JSON' });
  const now = () => deps.clock.now().getTime();

  if (webhooks.ses) {
    const ses = webhooks.ses;
    app.post('/webhooks/ses', async (req, reply) => {
      const m = json(req) as Record<string, unknown> | undefined;
      if (!m || typeof m !== 'object') return badJson(reply);
      const problem = await checkSnsMessage(m, { topicArns: ses.topicArns, port: snsPort, nowMs: now(), maxAgeSeconds: webhooks.maxAgeSeconds });
      if (problem) return refuse(req, reply, 'ses', problem);
      if (m.Type === 'SubscriptionConfirmation') {
        if (!isSnsUrl(m.SubscribeURL)) return refuse(req, reply, 'ses', 'bad_subscribe_url');
        await snsPort.confirmSubscription(m.SubscribeURL as string);
        req.log.info({ route: 'webhook:ses', topic: m.TopicArn }, 'SNS subscription confirmed');
        return reply.send({ confirmed: true });
      }
      if (m.Type !== 'Notification') return reply.send({ received: 0 });
      let message: unknown;
      try {
        message = JSON.parse(String(m.Message));
      } catch {
        req.log.info({ route: 'webhook:ses', reason: 'not_json' }, 'SNS notification ignored');
        return reply.send({ received: 0 });
      }
      return handle(req, reply, 'ses', sesEvents(message));
    });
  }

  const basic = (provider: 'postmark' | 'brevo', read: (b: unknown) => ProviderEvent[]) => {
    const creds = webhooks[provider];
    if (!creds) return;
    app.post(`/webhooks/${provider}`, async (req, reply) => {
      const problem = checkBasicAuth(req.headers.authorization, creds);
      if (problem) return refuse(req, reply, provider, problem);
      const body = json(req);
      if (body === undefined) return badJson(reply);
      return handle(req, reply, provider, read(body));
    });
  };
  basic('postmark', postmarkEvents);
  basic('brevo', brevoEvents);

  if (webhooks.mailgun) {
    const key = webhooks.mailgun.signingKey;
    const seen = new Map<string, number>();
    app.post('/webhooks/mailgun', async (req, reply) => {
      const body = json(req) as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object') return badJson(reply);
      const sig = body.signature as { timestamp?: unknown; token?: unknown; signature?: unknown } | undefined;
      const problem = checkMailgunSignature(sig, key, now(), webhooks.maxAgeSeconds);
      if (problem) return refuse(req, reply, 'mailgun', problem);
      // A token is used once: the same signed request sent again within the window is a replay.
      const token = String(sig!.token);
      for (const [t, at] of seen) if (now() - at > webhooks.maxAgeSeconds * 1000) seen.delete(t);
      if (seen.has(token)) return refuse(req, reply, 'mailgun', 'replayed_token');
      seen.set(token, now());
      return handle(req, reply, 'mailgun', mailgunEvents(body));
    });
  }

  if (webhooks.sendgrid) {
    const publicKey = webhooks.sendgrid.publicKey;
    app.post('/webhooks/sendgrid', async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const problem = checkSendgridSignature(
        req.headers['x-twilio-email-event-webhook-signature'] as string | undefined,
        req.headers['x-twilio-email-event-webhook-timestamp'] as string | undefined,
        raw, publicKey, now(), webhooks.maxAgeSeconds,
      );
      if (problem) return refuse(req, reply, 'sendgrid', problem);
      const body = json(req);
      if (body === undefined) return badJson(reply);
      return handle(req, reply, 'sendgrid', sendgridEvents(body));
    });
  }
};
