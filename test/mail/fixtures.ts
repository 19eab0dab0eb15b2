// Shared inputs for the mail tests.
import type { Organisation } from '../../src/core/organisation.js';
import type { Language } from '../../src/core/vocab.js';
import { composeCampaignMessage, type CampaignMessageInput } from '../../src/mail/compose.js';
import type { OutgoingMessage } from '../../src/mail/message.js';

export const org: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Hoofdstraat 1\n3511 AB Utrecht',
  replyTo: 'info@deboon.example',
  fromAddress: 'nieuws@deboon.example',
  fromName: 'De Boon',
  chamberOfCommerce: '12345678',
};

export const UNSUB = 'https://deboon.example/u/eyJhIjoidW5zdWIifQ.c2lnbmF0dXJl';

export function campaignInput(over: Partial<CampaignMessageInput> = {}, language: Language = 'nl'): CampaignMessageInput {
  return {
    org,
    language,
    contact: { email: 'jan@voorbeeld.nl', firstName: 'Jan', lastName: 'Jansen' },
    campaign: {
      subject: 'Nieuwe bonen voor {{ first_name }}',
      body: 'Beste {{ first_name }} {{ last_name }},\n\nDeze week: Ethiopië.\nTot snel!\n\nGroet, {{ organisation }}',
      purposeName: 'Koffietips',
    },
    links: { unsubscribe: UNSUB, privacy: 'https://deboon.example/privacy', manage: 'https://deboon.example/m/tok' },
    messageId: 'abc123@deboon.example',
    envelopeFrom: 'bounces+d1@deboon.example',
    listId: 'koffietips.deboon.example',
    ...over,
  };
}

export function campaign(over: Partial<CampaignMessageInput> = {}, language: Language = 'nl'): OutgoingMessage {
  return composeCampaignMessage(campaignInput(over, language));
}
