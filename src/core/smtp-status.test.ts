import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReply, enhancedStatus, replyCode, replyKey, type SmtpReply, type SmtpOutcome } from './smtp-status.js';

const cases: Array<[string, SmtpReply, SmtpOutcome]> = [
  // success
  ['250 after the message', { stage: 'message', code: 250, text: '250 2.0.0 Ok: queued as ABC' }, 'success'],
  ['DSN 2.0.0 delivered', { stage: 'dsn', code: null, enhanced: '2.0.0' }, 'success'],
  // hard bounces: recipient-specific permanent replies only
  ['550 5.1.1 at RCPT', { stage: 'rcpt', code: 550, text: '550 5.1.1 <a@x.nl>: Recipient address rejected: User unknown' }, 'hard_bounce'],
  ['550 5.1.10 null MX at RCPT', { stage: 'rcpt', code: 550, text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound' }, 'hard_bounce'],
  ['550 5.2.1 mailbox disabled', { stage: 'rcpt', code: 550, text: '550 5.2.1 mailbox disabled' }, 'hard_bounce'],
  ['plain 550 at RCPT', { stage: 'rcpt', code: 550, text: '550 no such user here' }, 'hard_bounce'],
  ['550 5.0.0 at RCPT', { stage: 'rcpt', code: 550, text: '550 5.0.0 unknown user' }, 'hard_bounce'],
  ['551 user not local', { stage: 'rcpt', code: 551, text: '551 user not local' }, 'hard_bounce'],
  ['5.1.1 after DATA (late recipient check)', { stage: 'message', code: 550, text: '550 5.1.1 user unknown' }, 'hard_bounce'],
  ['DSN 5.1.1', { stage: 'dsn', code: null, enhanced: '5.1.1' }, 'hard_bounce'],
  // relay failures: not the address's fault
  ['554 at MAIL FROM', { stage: 'mail', code: 554, text: '554 sender address not verified' }, 'relay_failure'],
  ['553 5.1.8 at MAIL FROM (bad sender domain is ours)', { stage: 'mail', code: 553, text: '553 5.1.8 sender domain does not exist' }, 'relay_failure'],
  ['535 at AUTH', { stage: 'auth', code: 535, text: '535 5.7.8 Authentication credentials invalid' }, 'relay_failure'],
  ['554 greeting', { stage: 'greeting', code: 554, text: '554 no SMTP service here' }, 'relay_failure'],
  ['5.7.1 at RCPT', { stage: 'rcpt', code: 550, text: '550 5.7.1 Relaying denied' }, 'relay_failure'],
  ['5.7.26 DMARC after DATA', { stage: 'message', code: 550, text: '550 5.7.26 unauthenticated mail is prohibited' }, 'relay_failure'],
  ['554 5.6.0 content after DATA', { stage: 'message', code: 554, text: '554 5.6.0 message content rejected' }, 'relay_failure'],
  ['connection refused', { stage: 'connect', code: null, network: 'refused' }, 'relay_failure'],
  ['TLS failure', { stage: 'starttls', code: null, network: 'tls' }, 'relay_failure'],
  ['DSN 5.7.1 reputation', { stage: 'dsn', code: null, enhanced: '5.7.1' }, 'relay_failure'],
  // soft bounces: retried and counted
  ['552 5.2.2 mailbox full', { stage: 'rcpt', code: 552, text: '552 5.2.2 Mailbox full' }, 'soft_bounce'],
  ['plain 552 at RCPT', { stage: 'rcpt', code: 552, text: '552 over quota' }, 'soft_bounce'],
  ['552 5.2.2 after DATA', { stage: 'message', code: 552, text: '552 5.2.2 quota exceeded' }, 'soft_bounce'],
  ['450 4.2.2 at RCPT', { stage: 'rcpt', code: 450, text: '450 4.2.2 mailbox full' }, 'soft_bounce'],
  ['451 4.3.0 after DATA', { stage: 'message', code: 451, text: '451 4.3.0 try again' }, 'soft_bounce'],
  ['554 5.4.4 unroutable at RCPT (not about the mailbox)', { stage: 'rcpt', code: 554, text: '554 5.4.4 unable to route' }, 'soft_bounce'],
  ['plain 554 at RCPT', { stage: 'rcpt', code: 554, text: '554 transaction failed' }, 'soft_bounce'],
  ['DSN 4.4.7 expired', { stage: 'dsn', code: null, enhanced: '4.4.7' }, 'soft_bounce'],
  ['DSN 5.2.2', { stage: 'dsn', code: null, enhanced: '5.2.2' }, 'soft_bounce'],
  // throttling: slow down, not counted
  ['421 at greeting', { stage: 'greeting', code: 421, text: '421 4.7.0 too many connections' }, 'throttle'],
  ['454 4.7.0 SES at MAIL FROM', { stage: 'mail', code: 454, text: '454 4.7.0 Throttling failure: Maximum sending rate exceeded' }, 'throttle'],
  ['454 without enhanced code, throttling text', { stage: 'mail', code: 454, text: '454 Throttling failure: Maximum sending rate exceeded.' }, 'throttle'],
  ['451 4.7.1 greylisted at RCPT', { stage: 'rcpt', code: 451, text: '451 4.7.1 greylisted, try again' }, 'throttle'],
  ['421 after DATA', { stage: 'message', code: 421, text: '421 closing connection' }, 'throttle'],
  // deferred: retried, not counted
  ['451 at MAIL FROM', { stage: 'mail', code: 451, text: '451 4.3.0 local error' }, 'deferred'],
  ['timeout', { stage: 'message', code: null, network: 'timeout' }, 'deferred'],
  ['reset', { stage: 'connect', code: null, network: 'reset' }, 'deferred'],
  ['no code at all', { stage: 'rcpt', code: null, text: 'garbled' }, 'deferred'],
];

for (const [name, reply, outcome] of cases) {
  test(`classifyReply: ${name} → ${outcome}`, () => {
    assert.equal(classifyReply(reply).outcome, outcome);
  });
}

test('enhancedStatus reads and normalises the code after the basic one', () => {
  assert.equal(enhancedStatus('550 5.1.1 user unknown'), '5.1.1');
  assert.equal(enhancedStatus('550-5.01.010 x'), '5.1.10');
  assert.equal(enhancedStatus('5.2.2'), '5.2.2');
  assert.equal(enhancedStatus('550 user 5.1.1 unknown'), null);
  assert.equal(enhancedStatus('550 5.1.1234 x'), null);
  assert.equal(enhancedStatus(null), null);
});

test('replyCode reads the basic code', () => {
  assert.equal(replyCode('554 5.7.1 no'), 554);
  assert.equal(replyCode('5541 no'), null);
  assert.equal(replyCode(undefined), null);
});

test('replyKey: the same refusal for different recipients has one key; different refusals differ', () => {
  const a = replyKey('550 5.1.1 <anna@example.nl>: Recipient address rejected: User unknown in relay table');
  const b = replyKey('550 5.1.1 <bob@voorbeeld.nl>: Recipient address rejected: User unknown in relay table');
  assert.equal(a, b);
  assert.notEqual(a, replyKey('550 5.1.1 mailbox unavailable'));
  assert.notEqual(replyKey('550 5.1.1 x'), replyKey('550 5.2.1 x'));
});
