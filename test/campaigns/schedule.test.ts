import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DIALECTS } from '../support/stores.js';
import { ORG, STATED, TIPS, world } from '../support/setup.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { scheduleCampaign, startDueCampaigns, unscheduleCampaign } from '../../src/services/campaigns/schedule.js';
import { setTimeZone } from '../../src/services/organisation/time-zone.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { campaignById } from '../../src/store/campaigns.js';
import { deliveryCounts } from '../../src/store/deliveries.js';
import { DomainError } from '../../src/services/errors.js';
import { FixedClock } from '../../src/services/deps.js';
import { createContext } from '../../src/context.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { confirmedSubscriber } from './helpers.js';

const refusedAt = (code: string, message: RegExp) => (e: unknown) =>
  e instanceof DomainError && e.kind === 'invalid' && e.field === 'at' && e.code === code && message.test(e.message);

for (const dialect of DIALECTS) {
  describe(`campaign schedules in the organisation's time zone (${dialect.name})`, () => {
    it('converts Europe/Amsterdam times around the March and October changes, refusing the gap and the fold', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        w.clock.set(new Date('2026-03-20T12:00:00Z'));
        const c = await createCampaign(w.deps, { name: 'Lente', purposeId: 'tips', subject: 'Hallo', body: 'x' });

        await assert.rejects(
          scheduleCampaign(w.deps, c.id, '2026-03-29 02:30'),
          refusedAt('nonexistent-time', /does not exist in Europe\/Amsterdam: .*forward from 02:00 to 03:00\. Choose a time before 02:00 or from 03:00/),
        );
        assert.equal((await campaignById(store.db, c.id))!.status, 'draft');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-03-29 01:30')).scheduledAt, '2026-03-29T00:30:00.000Z');
        const spring = await scheduleCampaign(w.deps, c.id, '2026-03-29 03:30');
        assert.equal(spring.scheduledAt, '2026-03-29T01:30:00.000Z');
        assert.equal(spring.local, '2026-03-29 03:30 +02:00');
        assert.equal((await campaignById(store.db, c.id))!.scheduled_at, '2026-03-29T01:30:00.000Z');

        await assert.rejects(
          scheduleCampaign(w.deps, c.id, '2026-10-25 02:15'),
          refusedAt('ambiguous-time', /happens twice in Europe\/Amsterdam: .*back from 03:00 to 02:00\. .*"2026-10-25 02:15\+02:00" \(the first time\) or "2026-10-25 02:15\+01:00"/),
        );
        assert.equal((await campaignById(store.db, c.id))!.scheduled_at, '2026-03-29T01:30:00.000Z');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-10-25 02:15+02:00')).scheduledAt, '2026-10-25T00:15:00.000Z');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-10-25 02:15+01:00')).scheduledAt, '2026-10-25T01:15:00.000Z');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-10-25 09:00')).scheduledAt, '2026-10-25T08:00:00.000Z');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-10-24 09:00')).scheduledAt, '2026-10-24T07:00:00.000Z');

        await setTimeZone(w.deps, 'Europe/London');
        assert.equal((await scheduleCampaign(w.deps, c.id, '2026-10-24 09:00')).scheduledAt, '2026-10-24T08:00:00.000Z');
        await assert.rejects(setTimeZone(w.deps, 'Mars/Olympus'), (e: DomainError) => e.field === 'timeZone');
      } finally {
        await store.dispose();
      }
    });

    it('refuses a time in the past or not in the form, and unschedules', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store); // 2026-11-30 11:00 in Amsterdam
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        await assert.rejects(scheduleCampaign(w.deps, c.id, '2026-11-30 10:59'), refusedAt('time-passed', /is in the past; it is now 2026-11-30 11:00 \+01:00/));
        await assert.rejects(scheduleCampaign(w.deps, c.id, '2026-11-30 11:00'), refusedAt('time-passed', /past/));
        await assert.rejects(scheduleCampaign(w.deps, c.id, 'morgen 9 uur'), refusedAt('bad-time', /YYYY-MM-DD HH:MM/));
        await assert.rejects(scheduleCampaign(w.deps, c.id, '2026-02-30 09:00'), refusedAt('bad-time', /not a date/));
        assert.equal((await campaignById(store.db, c.id))!.status, 'draft');

        await scheduleCampaign(w.deps, c.id, '2026-11-30 11:01');
        assert.equal((await campaignById(store.db, c.id))!.status, 'scheduled');
        await unscheduleCampaign(w.deps, c.id);
        const back = await campaignById(store.db, c.id);
        assert.equal(back!.status, 'draft');
        assert.equal(back!.scheduled_at, null);
        await assert.rejects(unscheduleCampaign(w.deps, c.id), (e: DomainError) => e.kind === 'conflict' && e.code === 'not-scheduled');
      } finally {
        await store.dispose();
      }
    });

    it('starts a campaign when due, not before; an unscheduled one never', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmedSubscriber(w.deps, 'anna@example.nl', 'Anna');
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        const other = await createCampaign(w.deps, { name: 'Weg', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        await scheduleCampaign(w.deps, c.id, '2026-11-30 12:00');
        await scheduleCampaign(w.deps, other.id, '2026-11-30 12:00');
        await unscheduleCampaign(w.deps, other.id);
        w.clock.set(new Date('2026-11-30T10:59:59Z'));
        assert.deepEqual(await startDueCampaigns(w.deps), []);
        w.clock.set(new Date('2026-11-30T11:00:00Z'));
        assert.deepEqual(await startDueCampaigns(w.deps), [c.id]);
        assert.equal((await deliveryCounts(store.db, c.id)).queued, 1);
        assert.equal((await campaignById(store.db, c.id))!.status, 'sending');
        assert.equal((await campaignById(store.db, other.id))!.status, 'draft');
        assert.deepEqual(await startDueCampaigns(w.deps), []);
      } finally {
        await store.dispose();
      }
    });

    it('a schedule that came due while the server was down fires when it starts again', async () => {
      const store = await dialect.open();
      const dataDir = mkdtempSync(join(tmpdir(), 'consentry-restart-'));
      const config = { ...loadConfig({ CONSENTRY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), database: store.target };
      const clock = new FixedClock(new Date('2026-11-30T10:00:00Z'));
      try {
        // First run: set up, schedule for 12:00 Amsterdam time, then the server goes down.
        const before = await createContext(config, { clock });
        await initialise(before.deps, { organisation: ORG, purpose: TIPS, notice: STATED });
        await confirmedSubscriber(before.deps, 'anna@example.nl', 'Anna');
        const c = await createCampaign(before.deps, { name: 'Nov', purposeId: 'tips', subject: 'Nieuws', body: 'x' });
        await scheduleCampaign(before.deps, c.id, '2026-11-30 12:00');
        await before.close();

        clock.set(new Date('2026-11-30T14:00:00Z'));
        const after = await createContext(config, { clock });
        const server = await startServer(after, { host: '127.0.0.1', port: 0 });
        try {
          let status = '';
          for (let i = 0; i < 200 && status !== 'sent'; i++) {
            status = (await campaignById(store.db, c.id))!.status;
            if (status !== 'sent') await delay(50);
          }
          assert.equal(status, 'sent');
        } finally {
          await server.stop();
          await after.close();
        }
        assert.equal((await deliveryCounts(store.db, c.id)).sent, 1);
        const files = await listOutbox(config.paths.outbox);
        assert.equal(files.length, 2); // the confirmation and the campaign
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        await store.dispose();
      }
    });
  });
}
