/**
 * Reason codes of the send gate: one table holding, for each code, whether it allows or blocks, the legal
 * sources it rests on, and a plain explanation in Dutch and English. docs/compliance.md describes each one.
 *
 * Source notation: `GDPR 7(4)` = art. 7 par. 4 of Regulation (EU) 2016/679; `Tw 11.7(1)` = Telecommunicatiewet
 * art. 11.7 lid 1; `ePrivacy 13(2)` = Directive 2002/58/EC art. 13 par. 2; `EDPB 05/2020` = EDPB Guidelines
 * 05/2020 on consent; `ACM` = the Dutch ACM's published practice on spam; `RFC 8058` = one-click unsubscribe.
 */

export interface ReasonSpec {
  readonly effect: 'allow' | 'block';
  readonly sources: readonly string[];
  readonly nl: string;
  readonly en: string;
}

const spec = <T extends Record<string, ReasonSpec>>(table: T): T => table;

export const REASONS = spec({
  // ── allowing ──
  CONSENT_CONFIRMED: {
    effect: 'allow',
    sources: ['GDPR 6(1)(a)', 'Tw 11.7(1)'],
    nl: 'Toestemming voor dit doel gegeven en bevestigd (double opt-in).',
    en: 'Consent given for this purpose and confirmed (double opt-in).',
  },
  CONSENT_SINGLE_OPT_IN: {
    effect: 'allow',
    sources: ['GDPR 6(1)(a)', 'GDPR 7(1)'],
    nl: 'Toestemming voor dit doel gegeven via single opt-in (bewust zo ingesteld; adres niet geverifieerd).',
    en: 'Consent given for this purpose by single opt-in (switched on deliberately; address not verified).',
  },
  CONSENT_IMPORTED: {
    effect: 'allow',
    sources: ['GDPR 6(1)(a)', 'GDPR 7(1)'],
    nl: 'Toestemming voor dit doel overgenomen uit een eerder systeem, met de oorspronkelijke tijden als bewijs.',
    en: 'Consent for this purpose carried over from an earlier system, with its original times as evidence.',
  },
  CONSENT_THIRD_PARTY_DOCUMENTED: {
    effect: 'allow',
    sources: ['GDPR 6(1)(a)', 'GDPR 7(1)', 'GDPR 14'],
    nl: 'Toestemming via een derde, met bewijs dat deze organisatie en dit doel noemt.',
    en: 'Consent through a third party, with evidence naming this organisation and this purpose.',
  },
  SERVICE_MESSAGE: {
    effect: 'allow',
    sources: ['GDPR 6(1)(b)'],
    nl: 'Servicebericht dat nodig is voor een overeenkomst of een gevraagde dienst; geen reclame.',
    en: 'Service message needed for a contract or a requested item; not marketing.',
  },
  CUSTOMER_EXCEPTION: {
    effect: 'allow',
    sources: ['Tw 11.7(3)', 'ePrivacy 13(2)', 'GDPR 6(1)(f)', 'GDPR Recital 47'],
    nl: 'Klantuitzondering: eigen gelijksoortige producten, afmelden aangeboden bij de verkoop en in elk bericht.',
    en: 'Customer exception: own similar products, opt-out offered at the sale and in every message.',
  },
  STAFF_WORK_ADDRESS: {
    effect: 'allow',
    sources: ['GDPR 6(1)(f)'],
    nl: 'Interne communicatie aan een werkadres van een medewerker; geen ongevraagde commerciële communicatie.',
    en: 'Internal communication to an employee’s work address; not unsolicited commercial communication.',
  },
  BUSINESS_ADDRESS_DESIGNATED: {
    effect: 'allow',
    sources: ['Tw 11.7(1)(b)', 'GDPR 6(1)(f)'],
    nl: 'Adres dat een organisatie heeft aangewezen en gepubliceerd voor het ontvangen van aanbiedingen.',
    en: 'Address an organisation designated and published for receiving offers.',
  },
  ONE_TO_ONE_PERSONAL: {
    effect: 'allow',
    sources: ['GDPR 6(1)(f)', 'GDPR 14(3)(b)'],
    nl: 'Persoonlijk één-op-één bericht van een mens, niet geautomatiseerd; vermeld de privacyverklaring.',
    en: 'Personal one-to-one message by a person, not automated; it must point to the privacy notice.',
  },
  REPERMISSION_ALLOWED: {
    effect: 'allow',
    sources: ['GDPR 6(1)(a)', 'GDPR 7(1)', 'EDPB 05/2020'],
    nl: 'Eenmalig verzoek om toestemming te vernieuwen, aan iemand met gedocumenteerde eerdere toestemming.',
    en: 'One request to renew consent, to someone with documented earlier consent.',
  },
  // ── blocking ──
  NO_PERMISSION_FOR_PURPOSE: {
    effect: 'block',
    sources: ['GDPR 5(1)(b)', 'GDPR 6(1)(a)', 'EDPB 05/2020'],
    nl: 'Geen toestemming voor dit doel; toestemming geldt per doel.',
    en: 'No consent for this purpose; consent is given per purpose.',
  },
  NO_SERVICE_RELATIONSHIP: {
    effect: 'block',
    sources: ['GDPR 6(1)(b)', 'GDPR 5(1)(b)', 'Tw 11.7(1)'],
    nl: 'Servicebericht aan iemand zonder overeenkomst, aankoop of verzoek voor dit doel: daarvoor is geen grondslag.',
    en: 'Service message to someone without a contract, purchase or request for this purpose: there is no basis for it.',
  },
  CONSENT_PENDING: {
    effect: 'block',
    sources: ['GDPR 7(1)'],
    nl: 'Aanmelding nog niet bevestigd (double opt-in).',
    en: 'Sign-up not confirmed yet (double opt-in).',
  },
  CONSENT_WITHDRAWN: {
    effect: 'block',
    sources: ['GDPR 7(3)', 'Tw 11.7(1)'],
    nl: 'Toestemming voor dit doel is ingetrokken (afgemeld).',
    en: 'Consent for this purpose was withdrawn (unsubscribed).',
  },
  CONSENT_EXPIRED: {
    effect: 'block',
    sources: ['GDPR 5(1)(e)', 'GDPR 7(1)'],
    nl: 'Toestemming is verlopen.',
    en: 'Consent has expired.',
  },
  OBJECTED: {
    effect: 'block',
    sources: ['GDPR 21(3)', 'Tw 11.7(3)'],
    nl: 'Bezwaar gemaakt tegen direct marketing.',
    en: 'Objected to direct marketing.',
  },
  SUPPRESSED: {
    effect: 'block',
    sources: ['GDPR 17(1)(b)', 'GDPR 21(3)'],
    nl: 'Adres staat op de onderdrukkingslijst (afgemeld, gewist, bounce of klacht).',
    en: 'Address is on the suppression list (unsubscribed, erased, bounced or complained).',
  },
  BASIS_NOT_PROVABLE: {
    effect: 'block',
    sources: ['GDPR 7(1)', 'GDPR 5(2)'],
    nl: 'Grondslag niet aantoonbaar: geen tijdstip of bron van de toestemming bekend.',
    en: 'Basis not provable: no time or source of consent is known.',
  },
  CONSENT_INVALID_PRE_TICKED: {
    effect: 'block',
    sources: ['GDPR Recital 32', 'EDPB 05/2020'],
    nl: 'Toestemming via een vooraf aangevinkt vakje is geen geldige toestemming.',
    en: 'Consent through a pre-ticked box is not valid consent.',
  },
  THIRD_PARTY_NO_EVIDENCE: {
    effect: 'block',
    sources: ['GDPR 7(1)', 'ACM'],
    nl: 'Adres van een derde zonder bewijs dat die het voor dit doel aan deze organisatie mocht geven.',
    en: 'Address from a third party without evidence that it could pass it on to this organisation for this purpose.',
  },
  PUBLIC_PROFILE_SOURCE: {
    effect: 'block',
    sources: ['Tw 11.7(1)'],
    nl: 'Adres overgenomen van een openbaar profiel of website; nooit geschikt voor geautomatiseerde reclame.',
    en: 'Address copied from a public profile or website; never eligible for automated marketing.',
  },
  TRADE_FAIR_NO_CONSENT: {
    effect: 'block',
    sources: ['Tw 11.7(1)'],
    nl: 'Visitekaartje van een beurs: alleen een persoonlijke opvolging, geen bulkmail zonder toestemming.',
    en: 'Trade-fair business card: a personal follow-up only, no bulk mail without consent.',
  },
  NO_CONSENT_COMMERCIAL: {
    effect: 'block',
    sources: ['Tw 11.7(1)'],
    nl: 'Ongevraagde commerciële e-mail aan deze ontvanger vereist voorafgaande toestemming.',
    en: 'Unsolicited commercial e-mail to this recipient needs prior consent.',
  },
  CUSTOMER_PRODUCT_NOT_SIMILAR: {
    effect: 'block',
    sources: ['Tw 11.7(3)', 'ePrivacy 13(2)'],
    nl: 'Klantuitzondering geldt alleen voor eigen gelijksoortige producten van dezelfde rechtspersoon.',
    en: 'The customer exception covers only own similar products of the same legal entity.',
  },
  THIRD_PARTY_PROMOTION_NO_CONSENT: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'ePrivacy 13(2)'],
    nl: 'Reclame namens een derde vereist toestemming voor juist dat doel.',
    en: 'Promotion on behalf of a third party needs consent for exactly that purpose.',
  },
  CUSTOMER_OPT_OUT_NOT_OFFERED: {
    effect: 'block',
    sources: ['Tw 11.7(3)', 'ACM'],
    nl: 'Bij de verkoop is geen duidelijke afmeldmogelijkheid geboden (alleen in voorwaarden telt niet).',
    en: 'No clear opt-out was offered at the sale (mentioning it only in the terms does not count).',
  },
  CUSTOMER_EXCEPTION_LAPSED: {
    effect: 'block',
    sources: ['Tw 11.7(3)', 'ACM'],
    nl: 'Klantuitzondering verlopen: de laatste aankoop is langer geleden dan de ingestelde termijn.',
    en: 'Customer exception lapsed: the last purchase is older than the configured period.',
  },
  CUSTOMER_OPTED_OUT: {
    effect: 'block',
    sources: ['GDPR 21(3)', 'Tw 11.7(3)'],
    nl: 'De klant heeft zich afgemeld voor klantmail; de klantuitzondering is daarmee beëindigd.',
    en: 'The customer opted out of customer mail; that ends the customer exception.',
  },
  NOT_A_CUSTOMER: {
    effect: 'block',
    sources: ['Tw 11.7(3)'],
    nl: 'Geen klant: de klantuitzondering geldt niet.',
    en: 'Not a customer: the customer exception does not apply.',
  },
  STAFF_PRIVATE_ADDRESS: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'GDPR 6(1)(a)'],
    nl: 'Personeelsbericht naar een privéadres vereist toestemming.',
    en: 'A staff message to a private address needs consent.',
  },
  NOT_AN_EMPLOYEE: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'GDPR 6(1)(a)'],
    nl: 'Geen medewerker: interne communicatie aan deze ontvanger vereist toestemming.',
    en: 'Not an employee: internal communication to this recipient needs consent.',
  },
  LEAD_NO_CONSENT: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'GDPR 6(1)(a)'],
    nl: 'Lead in de verkooppijplijn zonder aanmelding: geen nieuwsbrieven of andere commerciële bulkmail.',
    en: 'Sales-pipeline lead who never opted in: no newsletters or other commercial bulk mail.',
  },
  ROLE_ADDRESS_NOT_DESIGNATED: {
    effect: 'block',
    sources: ['Tw 11.7(1)'],
    nl: 'Algemeen adres (zoals info@) dat niet is aangewezen voor aanbiedingen.',
    en: 'Generic address (such as info@) not designated for receiving offers.',
  },
  SOLE_TRADER_IS_PERSON: {
    effect: 'block',
    sources: ['GDPR 4(1)', 'Tw 11.7(1)'],
    nl: 'Eenmanszaak/zzp: het adres is persoonsgegeven en telt als dat van een natuurlijk persoon.',
    en: 'Sole trader: the address is personal data and counts as a natural person’s.',
  },
  ONE_TO_ONE_ONLY: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'GDPR 6(1)(f)'],
    nl: 'Alleen een persoonlijk één-op-één bericht is toegestaan, geen bulk- of geautomatiseerde mail.',
    en: 'Only a personal one-to-one message is allowed, no bulk or automated mail.',
  },
  REPERMISSION_NO_EARLIER_CONSENT: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'GDPR 6(1)(a)'],
    nl: 'Om toestemming vragen per e-mail is zelf reclame; alleen aan wie eerder aantoonbaar toestemming gaf.',
    en: 'Asking for consent by e-mail is itself marketing; only to people with documented earlier consent.',
  },
  REPERMISSION_ALREADY_SENT: {
    effect: 'block',
    sources: ['Tw 11.7(1)', 'EDPB 05/2020'],
    nl: 'Er is al een verzoek om toestemming te vernieuwen verstuurd; een tweede verzoek is ongevraagde reclame.',
    en: 'A request to renew consent was already sent; a second request is unsolicited marketing.',
  },
  REPERMISSION_DEADLINE_PASSED: {
    effect: 'block',
    sources: ['GDPR 5(1)(e)', 'GDPR 7(1)'],
    nl: 'De termijn om toestemming te vernieuwen is verstreken zonder reactie.',
    en: 'The deadline to renew consent has passed without a response.',
  },
  ADDRESS_NOT_MARKETABLE: {
    effect: 'block',
    sources: ['RFC 5321'],
    nl: 'Adres is niet geschikt voor bulkmail (bijvoorbeeld een local part tussen aanhalingstekens).',
    en: 'Address is not fit for bulk mail (for example a quoted local part).',
  },
});

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
export const isReasonCode = (x: unknown): x is ReasonCode => typeof x === 'string' && x in REASONS;
