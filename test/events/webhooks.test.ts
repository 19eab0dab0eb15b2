import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createSign, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { NO_INBOUND, type WebhookConfig } from '../../src/config-inbound.js';
import { snsStringToSign } from '../../src/services/events/webhooks/ses.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { confirmed, sendCampaign, suppressions } from './support.js';
import { verpOf } from './reports.js';

const SNS = join(import.meta.dirname, '..', 'fixtures', 'sns');
const CERT = readFileSync(join(SNS, 'test-signing-cert.pem'), 'utf8');
const KEY = readFileSync(join(SNS, 'test-signing-key.pem'), 'utf8');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

/** An SNS message signed with the test certificate's key (SignatureVersion 2). */
function snsMessage(fields: Record<string, string>): Record<string, string> {
  const m: Record<string, string> = { SignatureVersion: '2', SigningCertURL: CERT_URL, TopicArn: TOPIC, ...fields };
  m.Signature = createSign('RSA-SHA256').update(snsStringToSign(m)!).sign(KEY, 'base64');
  return m;
}

describe('bounce and complaint webhooks over real HTTP with real signatures', () => {
  it('records each provider\'s hard bounce and complaint; refuses forged, replayed and unauthenticated requests; ignores unknown types', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    // The test certificate is valid from the day it was made: run at today's time.
    w.clock.set(new Date());
    const people = ['ses@example.nl', 'pm@example.nl', 'mg@example.nl', 'sg@example.nl', 'sgspam@example.nl', 'brevo@example.nl', 'rest@example.nl'];
    for (const p of people) await confirmed(w, p);
    const sent = await sendCampaign(w);
    const d = (email: string) => sent.get(email)!;
    const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const webhooks: WebhookConfig = {
      ...NO_INBOUND.webhooks,
      ses: { topicArns: [TOPIC] },
      postmark: { user: 'postmark', password: 'pm-password-0123456789' },
      mailgun: { signingKey: 'key-mailgun-signing-0123456789' },
      sendgrid: { publicKey: sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }) },
      brevo: { user: 'brevo', password: 'brevo-password-0123456789' },
      maxAgeSeconds: 300,
    };
    const confirmedUrls: string[] = [];
    const app = await buildApp(w.deps, {
      webhooks,
      snsPort: { fetchCertificate: async (url) => (url === CERT_URL ? CERT : Promise.reject(new Error('offline'))), confirmSubscription: async (url) => void confirmedUrls.push(url) },
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const nowIso = w.clock.now().toISOString();
    const nowS = Math.floor(w.clock.now().getTime() / 1000);
    try {
      // Amazon SES through SNS: subscription, a signed bounce; forged, replayed and foreign-topic messages refused.
      const sub = snsMessage({ Type: 'SubscriptionConfirmation', MessageId: 'm-1', Token: 't', Message: 'confirm', SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t', Timestamp: nowIso });
      assert.equal((await post('/webhooks/ses', sub, { 'content-type': 'text/plain; charset=UTF-8' })).status, 200);
      assert.deepEqual(confirmedUrls, [sub.SubscribeURL]);
      const sesBounce = JSON.stringify({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bounceSubType: 'General', feedbackId: 'fb-1', timestamp: '2026-11-30T09:58:00.000Z', bouncedRecipients: [{ emailAddress: 'ses@example.nl', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
        mail: { source: verpOf(d('ses@example.nl').id), commonHeaders: { messageId: `<${d('ses@example.nl').message_id}>` } },
      });
      const note = snsMessage({ Type: 'Notification', MessageId: 'm-2', Message: sesBounce, Timestamp: nowIso });
      assert.equal((await post('/webhooks/ses', { ...note, Message: sesBounce.replace('ses@example.nl', 'rest@example.nl') })).status, 401, 'forged');
      assert.equal((await post('/webhooks/ses', snsMessage({ Type: 'Notification', MessageId: 'm-3', Message: sesBounce, Timestamp: '2026-11-30T09:00:00.000Z' }))).status, 401, 'replayed');
      assert.equal((await post('/webhooks/ses', { ...note, TopicArn: 'arn:aws:sns:eu-west-1:999999999999:other' })).status, 401, 'other topic');
      assert.equal((await post('/webhooks/ses', note)).status, 200);
      const ev = await contactEvidence(w.deps, 'ses@example.nl');
      assert.deepEqual(ev.deliveryEvents.map((e) => [e.kind, e.status, e.source, e.occurred_at]), [['hard_bounce', '5.1.1', 'webhook:ses', '2026-11-30T09:58:00.000Z']]);

      // Postmark (basic auth).
      const pmAuth = { authorization: `Basic ${Buffer.from('postmark:pm-password-0123456789').toString('base64')}` };
      const pmBounce = { RecordType: 'Bounce', ID: 42, Type: 'HardBounce', MessageID: d('pm@example.nl').message_id, Email: 'pm@example.nl', Details: 'smtp;550 5.1.1 The email account does not exist', BouncedAt: '2026-11-30T09:59:00Z' };
      assert.equal((await post('/webhooks/postmark', pmBounce, { authorization: `Basic ${Buffer.from('postmark:wrong').toString('base64')}` })).status, 401);
      assert.equal((await post('/webhooks/postmark', pmBounce)).status, 401);
      assert.equal((await post('/webhooks/postmark', { RecordType: 'Open', MessageID: d('rest@example.nl').message_id }, pmAuth)).status, 200);
      assert.equal((await post('/webhooks/postmark', pmBounce, pmAuth)).status, 200);
      assert.equal((await post('/webhooks/postmark', '{not json', pmAuth)).status, 400);

      // Mailgun (HMAC over timestamp and token).
      const mgSig = (timestamp: string, token: string) => ({ timestamp, token, signature: createHmac('sha256', 'key-mailgun-signing-0123456789').update(timestamp + token).digest('hex') });
      const mgEvent = { event: 'failed', severity: 'permanent', id: 'mg-1', timestamp: nowS - 5, recipient: 'mg@example.nl', message: { headers: { 'message-id': d('mg@example.nl').message_id } }, 'delivery-status': { code: 550, message: '5.1.1 The email account that you tried to reach does not exist' } };
      assert.equal((await post('/webhooks/mailgun', { signature: { ...mgSig(String(nowS), 'tok-1'), signature: 'f'.repeat(64) }, 'event-data': mgEvent })).status, 401, 'forged');
      assert.equal((await post('/webhooks/mailgun', { signature: mgSig(String(nowS - 3600), 'tok-2'), 'event-data': mgEvent })).status, 401, 'old timestamp');
      assert.equal((await post('/webhooks/mailgun', { signature: mgSig(String(nowS), 'tok-3'), 'event-data': mgEvent })).status, 200);
      assert.equal((await post('/webhooks/mailgun', { signature: mgSig(String(nowS), 'tok-3'), 'event-data': mgEvent })).status, 401, 'same token again');
      assert.equal((await post('/webhooks/mailgun', { signature: mgSig(String(nowS), 'tok-4'), 'event-data': { event: 'opened', id: 'mg-2' } })).status, 200);

      // SendGrid (ECDSA over timestamp and raw body): a bounce, a spam report, an event type it does not know,
      // a bounce that names another address than the delivery's, and one for a message Consentry never sent.
      const sgBody = JSON.stringify([
        { event: 'bounce', type: 'bounce', email: 'sg@example.nl', timestamp: nowS - 10, 'smtp-id': `<${d('sg@example.nl').message_id}>`, sg_event_id: 'sg-1', status: '5.1.1', reason: '550 5.1.1 user unknown' },
        { event: 'spamreport', email: 'sgspam@example.nl', timestamp: nowS - 10, 'smtp-id': `<${d('sgspam@example.nl').message_id}>`, sg_event_id: 'sg-2' },
        { event: 'group_resubscribe', email: 'rest@example.nl', timestamp: nowS, sg_event_id: 'sg-3' },
        { event: 'bounce', type: 'bounce', email: 'iemand.anders@example.nl', timestamp: nowS, 'smtp-id': `<${d('rest@example.nl').message_id}>`, sg_event_id: 'sg-4', status: '5.1.1' },
        { event: 'bounce', type: 'bounce', email: 'rest@example.nl', timestamp: nowS, 'smtp-id': '<never-sent@deboon.example>', sg_event_id: 'sg-5', status: '5.1.1' },
      ]);
      const sgHeaders = (timestamp: string, body: string) => ({
        'x-twilio-email-event-webhook-timestamp': timestamp,
        'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + body), sendgridKeys.privateKey).toString('base64'),
      });
      assert.equal((await post('/webhooks/sendgrid', sgBody.replace('sg-1', 'sg-9'), sgHeaders(String(nowS), sgBody))).status, 401, 'forged');
      assert.equal((await post('/webhooks/sendgrid', sgBody, sgHeaders(String(nowS - 3600), sgBody))).status, 401, 'replayed');
      const sgRes = await post('/webhooks/sendgrid', sgBody, sgHeaders(String(nowS), sgBody));
      assert.equal(sgRes.status, 200);
      assert.deepEqual(await sgRes.json(), { received: 5, recorded: 2, ignored: 3 });

      // Brevo (basic auth).
      const brevoAuth = { authorization: `Basic ${Buffer.from('brevo:brevo-password-0123456789').toString('base64')}` };
      const brevoBounce = { event: 'hard_bounce', email: 'brevo@example.nl', id: 7, 'message-id': `<${d('brevo@example.nl').message_id}>`, ts_event: nowS - 20, reason: '550 5.1.1 unknown user' };
      assert.equal((await post('/webhooks/brevo', brevoBounce)).status, 401);
      assert.equal((await post('/webhooks/brevo', brevoBounce, brevoAuth)).status, 200);
      assert.equal((await post('/webhooks/brevo', { event: 'unique_opened', id: 7 }, brevoAuth)).status, 200);

      assert.deepEqual(await suppressions(w), {
        'brevo@example.nl': 'hard_bounce', 'mg@example.nl': 'hard_bounce', 'pm@example.nl': 'hard_bounce', 'rest@example.nl': null,
        'ses@example.nl': 'hard_bounce', 'sg@example.nl': 'hard_bounce', 'sgspam@example.nl': 'complaint',
      });
      const spam = await contactEvidence(w.deps, 'sgspam@example.nl');
      assert.equal(spam.permissions[0]!.status, 'objected');
      // A provider that is not configured has no route.
      const off = await buildApp(w.deps, { webhooks: NO_INBOUND.webhooks });
      assert.equal((await off.inject({ method: 'POST', url: '/webhooks/postmark', payload: {} })).statusCode, 404);
      await off.close();
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
