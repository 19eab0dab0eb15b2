/** Texts of the admin's audit page, and the audit groups' names the contacts filter shows too (see texts.ts). */
const nl = {
  'audit.title': 'Controle van de lijst',
  'audit.intro':
    'De juridische stand van de hele lijst per doel: elk contact is beoordeeld door dezelfde verzendcontrole als een campagne voor dit doel, en staat in precies één groep; de groepen tellen op tot het totaal. De ingesprongen regel "waarvan met zwak bewijs" is een deel van "Mag worden gemaild", geen eigen groep. Gemaakt op {{when}}; er is niets veranderd.',
  'audit.contacts': 'Contacten: {{n}}.',
  'audit.groupHeading': 'Groep',
  'audit.count': 'Aantal',
  'audit.reasons': 'Redenen',
  'audit.group.mailable': 'Mag worden gemaild',
  'audit.group.opted_out': 'Afgemeld of bezwaar',
  'audit.group.pending': 'Wacht op bevestiging',
  'audit.group.needs_repermission': 'Opnieuw toestemming vragen (zwak bewijs en geblokkeerd met vastgelegde toestemming)',
  'audit.group.weak_proof': 'Mailbaar met zwak bewijs',
  'audit.group.weak_proof_of': 'waarvan met zwak bewijs: opnieuw toestemming vragen',
  'audit.group.blocked_documented': 'Geblokkeerd; één keer opnieuw toestemming vragen mag',
  'audit.total': 'Totaal',
  'audit.group.no_provable_basis': 'Geen aantoonbare grondslag',
  'audit.group.no_permission': 'Geen toestemming voor dit doel',
  'audit.hint.weak_proof':
    'Al meegeteld bij "Mag worden gemaild": geïmporteerde toestemming zonder bevestigingstijd of opt-in-IP-adres. Volgens het dossier rechtmatig, maar u moet toestemming kunnen aantonen (AVG 7(1)): vraag opnieuw voordat u er langer op vertrouwt.',
  'audit.hint.blocked_documented':
    'Eerdere toestemming is vastgelegd maar het bewijs volstaat niet (of de toestemming is verlopen): zij worden niet gemaild, maar één verzoek om opnieuw toestemming mag (AVG 7(1)).',
  'audit.hint.no_provable_basis':
    'Geblokkeerd zonder bewijs dat een verzoek om toestemming rechtvaardigt: ook zo\'n verzoek per e-mail is reclame (Tw 11.7(1)). Zij worden niet gemaild. De bewaarregels wissen ze alleen als een termijn verstreken is (zie Bewaartermijnen): leg de grondslag vast of wis ze.',
  'audit.showContacts': 'Contacten tonen',
  'audit.repermission': 'Herbevestigingscampagne starten',
  'audit.repermissionIntro':
    'Maakt een conceptcampagne (categorie herbevestiging, termijn 30 dagen) voor de {{n}} contacten die opnieuw om toestemming mogen worden gevraagd: {{weak}} mailbaar met zwak bewijs en {{blocked}} geblokkeerd met vastgelegde eerdere toestemming. U past de tekst aan en verstuurt hem op de campagnepagina; de verzendcontrole laat alleen deze contacten toe.',
  'audit.language': 'Taal van het bericht',
  'audit.repermissionStarted': 'De conceptcampagne is gemaakt. Pas de tekst aan voordat u hem verstuurt.',
  'audit.suppression': 'Blokkeerlijst',
  'audit.suppressionTotal': 'Adressen op de blokkeerlijst (als sleutel-hash): {{n}}.',
  'audit.retention': 'Bewaartermijnen',
  'audit.retentionNow': 'Een opruimronde nu zou {{erase}} van de {{examined}} contacten wissen.',
  'audit.unfinished': 'Imports die niet zijn afgerond: {{n}}. Een deel van het bestand is binnen, de rest niet.',
  'audit.rule': 'Regel voor "opnieuw toestemming vragen"',
  'audit.noPurposes': 'Er zijn nog geen doelen.',
  'contacts.group': 'Groep in de controle',
  'contacts.groupHint': 'Alleen samen met een doel, zonder andere filters.',
  'contacts.orderAudit': 'Contacten in deze groep van de controle.',
  'error.code.group-alone': 'Een groep uit de controle gaat alleen samen met een doel, zonder zoekterm of andere filters.',
};

const en: Record<keyof typeof nl, string> = {
  'audit.title': 'List audit',
  'audit.intro':
    'The legal state of the whole list per purpose: every contact judged by the same send gate as a campaign for the purpose, and placed in exactly one group; the groups add up to the total. The indented line "of whom on weak proof" is part of "May be mailed", not a group of its own. Made {{when}}; nothing was changed.',
  'audit.contacts': 'Contacts: {{n}}.',
  'audit.groupHeading': 'Group',
  'audit.count': 'Count',
  'audit.reasons': 'Reasons',
  'audit.group.mailable': 'May be mailed',
  'audit.group.opted_out': 'Unsubscribed or objected',
  'audit.group.pending': 'Awaiting confirmation',
  'audit.group.needs_repermission': 'Ask for permission again (weak proof and blocked with documented consent)',
  'audit.group.weak_proof': 'Mailable on weak proof',
  'audit.group.weak_proof_of': 'of whom on weak proof: ask for permission again',
  'audit.group.blocked_documented': 'Blocked; may be asked for permission once more',
  'audit.total': 'Total',
  'audit.group.no_provable_basis': 'No provable basis',
  'audit.group.no_permission': 'No permission for this purpose',
  'audit.hint.weak_proof':
    'Already counted in "May be mailed": imported consent without a confirmation time or opt-in IP address. Lawful on the record, but you must be able to prove consent (GDPR 7(1)): ask again before relying on it further.',
  'audit.hint.blocked_documented':
    'Earlier consent is documented but its proof does not suffice (or the consent expired): they are not mailed, but one request for permission again is allowed (GDPR 7(1)).',
  'audit.hint.no_provable_basis':
    'Blocked without the proof that would justify asking for consent: such a request by e-mail is itself marketing (Tw 11.7(1)). They are not mailed. The retention rules erase them only once a period has passed (see Retention): document their basis or erase them.',
  'audit.showContacts': 'Show contacts',
  'audit.repermission': 'Start a re-permission campaign',
  'audit.repermissionIntro':
    'Creates a draft campaign (category re-permission, a 30-day deadline) for the {{n}} contacts who may be asked for permission again: {{weak}} mailable on weak proof and {{blocked}} blocked with documented earlier consent. Adjust the text and send it on the campaign page; the send gate lets only these contacts through.',
  'audit.language': 'Language of the message',
  'audit.repermissionStarted': 'The draft campaign was created. Adjust its text before you send it.',
  'audit.suppression': 'Suppression list',
  'audit.suppressionTotal': 'Addresses on the suppression list (as keyed hashes): {{n}}.',
  'audit.retention': 'Retention',
  'audit.retentionNow': 'A clean-up now would erase {{erase}} of {{examined}} contacts.',
  'audit.unfinished': 'Imports that did not finish: {{n}}. Part of their file is in, the rest is not.',
  'audit.rule': 'Rule for "ask for permission again"',
  'audit.noPurposes': 'There are no purposes yet.',
  'contacts.group': 'Audit group',
  'contacts.groupHint': 'Only with a purpose, without other filters.',
  'contacts.orderAudit': 'Contacts in this group of the audit.',
  'error.code.group-alone': 'An audit group goes only with a purpose, without a search or other filters.',
};

export const auditTexts = { nl, en };
