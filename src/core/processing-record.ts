/**
 * The record of processing activities (GDPR art. 30(1)): one row per purpose with the controller's name and
 * contact details, the purpose and its lawful basis, the categories of data subjects and personal data, the
 * recipients, transfers outside the EEA, the time limits for erasure and the security measures. Export as CSV
 * (RFC 4180) here; the web layer renders the HTML. Pure.
 */
import type { Organisation } from './organisation.js';
import type { Language, MessageCategory } from './vocab.js';
import { isEeaCountry, type NoticePurposeInput, type ProcessorInput, type Text, type TransferSafeguard } from './notice.js';
import type { RetentionRules } from './retention.js';
import { toCsvText } from './csv.js';

/** A purpose with what the record needs beyond the notice. Absent texts get defaults per message category. */
export interface RecordPurposeInput extends NoticePurposeInput {
  category: MessageCategory;
  dataSubjects_nl?: string;
  dataSubjects_en?: string;
  dataCategories_nl?: string;
  dataCategories_en?: string;
}

/** A processor with, for one outside the EEA, the safeguard of the transfer (GDPR 46). */
export interface RecordProcessorInput extends ProcessorInput {
  safeguard?: TransferSafeguard;
}

/** One row of the record, in one language. Column order is the CSV order. */
export interface ProcessingRecordRow {
  /** 30(1)(b): the processing activity (purpose name). */
  activity: string;
  /** 30(1)(a): controller's name, address, Chamber of Commerce number. */
  controller: string;
  /** 30(1)(a): contact for privacy matters and the DPO, if any. */
  contact: string;
  /** 30(1)(b): the purpose and its lawful basis (GDPR 6(1)). */
  lawfulBasis: string;
  /** 30(1)(c) */
  dataSubjects: string;
  /** 30(1)(c) */
  dataCategories: string;
  /** 30(1)(d) */
  recipients: string;
  /** 30(1)(e) */
  transfers: string;
  /** 30(1)(f) */
  retention: string;
  /** 30(1)(g), 32(1) */
  security: string;
}

export const RECORD_COLUMNS = [
  'activity', 'controller', 'contact', 'lawfulBasis', 'dataSubjects', 'dataCategories', 'recipients', 'transfers',
  'retention', 'security',
] as const satisfies ReadonlyArray<keyof ProcessingRecordRow>;

/** The column headings of the record in each language (the CSV's header row, the admin page, the printable page). */
export const RECORD_HEADERS: Record<Language, Record<keyof ProcessingRecordRow, string>> = {
  en: {
    activity: 'Processing activity', controller: 'Controller', contact: 'Contact / DPO', lawfulBasis: 'Lawful basis',
    dataSubjects: 'Categories of data subjects', dataCategories: 'Categories of personal data', recipients: 'Recipients',
    transfers: 'Transfers outside the EEA', retention: 'Time limits for erasure', security: 'Security measures',
  },
  nl: {
    activity: 'Verwerking', controller: 'Verwerkingsverantwoordelijke', contact: 'Contact / FG', lawfulBasis: 'Grondslag',
    dataSubjects: 'Categorieën betrokkenen', dataCategories: 'Categorieën persoonsgegevens', recipients: 'Ontvangers',
    transfers: 'Doorgifte buiten de EER', retention: 'Bewaartermijnen', security: 'Beveiligingsmaatregelen',
  },
};

const SUBJECTS: Record<MessageCategory, Text> = {
  service: { nl: 'Klanten en aanvragers', en: 'Customers and requesters' },
  customer_marketing: { nl: 'Klanten', en: 'Customers' },
  purpose_marketing: { nl: 'Abonnees die toestemming gaven', en: 'Subscribers who gave consent' },
  third_party_promotion: { nl: 'Abonnees die toestemming gaven', en: 'Subscribers who gave consent' },
  internal: { nl: 'Medewerkers', en: 'Staff' },
  one_to_one: { nl: 'Zakelijke contactpersonen (beurs, werving)', en: 'Business contacts (trade fair, recruitment)' },
  repermission: { nl: 'Eerdere abonnees', en: 'Earlier subscribers' },
};

const BASE_DATA: Text = {
  nl: 'E-mailadres; naam indien opgegeven; bewijs van de grondslag (tijd, formulier, getoonde tekst, versie privacyverklaring, user agent, IP-adres indien ingeschakeld); verzendgegevens (verzonden, geblokkeerd met reden, mislukt of gebounced)',
  en: 'E-mail address; name where given; evidence of the basis (time, form, text shown, privacy-notice version, user agent, IP address where enabled); delivery data (sent, blocked with its reason, failed or bounced)',
};
const PURCHASE_DATA: Text = { nl: '; aankoopdatum en productcategorieën', en: '; purchase date and product categories' };

const BASIS: Record<Language, Record<string, string>> = {
  en: { a: 'consent', b: 'contract', c: 'legal obligation', d: 'vital interests', e: 'public task', f: 'legitimate interest' },
  nl: { a: 'toestemming', b: 'overeenkomst', c: 'wettelijke plicht', d: 'vitaal belang', e: 'algemeen belang', f: 'gerechtvaardigd belang' },
};

/**
 * Default text for 30(1)(g): only what the product itself does (it tracks no opens; the operator adds their own
 * measures, such as server access, with `opts.security`).
 */
export const DEFAULT_SECURITY: Text = {
  nl: 'Beheer via de opdrachtregel, de API met een API-sleutel (alleen als hash bewaard) en de beheerapp met persoonlijke accounts: wachtwoorden als argon2id-hash, rollen per account, optioneel een tweede factor (TOTP), sessies die verlopen, elke wijziging in een actielogboek zonder adressen van betrokkenen; het toestemmingslogboek is met hashes geketend tegen wijziging; de blokkeerlijst bevat sleutelhashes (HMAC) in plaats van adressen; links bevatten ondertekende tokens zonder adres; wissen verwijdert de persoonsgegevens ook uit het logboek en overschrijft ze in het databasebestand; serverlogboeken bevatten geen adressen, tokens of IP-adressen; TLS voor web en SMTP waar geconfigureerd.',
  en: 'Administration through the command line, the API with an API key (stored only as a hash) and the admin app with personal accounts: passwords as argon2id hashes, a role per account, an optional second factor (TOTP), sessions that expire, every change in an action log without data subjects\' addresses; the consent ledger is hash-chained against tampering; the suppression list holds keyed hashes (HMAC) instead of addresses; links carry signed tokens without addresses; erasure also removes personal details from the ledger and overwrites them in the database file; server logs hold no addresses, tokens or IP addresses; TLS for web and SMTP where configured.',
};

const SAFEGUARD: Record<Language, Record<string, string>> = {
  en: { adequacy_decision: 'adequacy decision (GDPR 45)', standard_contractual_clauses: 'standard contractual clauses (GDPR 46(2)(c))', binding_corporate_rules: 'binding corporate rules (GDPR 47)', derogation: 'derogation (GDPR 49)', none: 'safeguard not recorded' },
  nl: { adequacy_decision: 'adequaatheidsbesluit (art. 45 AVG)', standard_contractual_clauses: 'modelcontractbepalingen (art. 46 lid 2 onder c AVG)', binding_corporate_rules: 'bindende bedrijfsvoorschriften (art. 47 AVG)', derogation: 'uitzondering (art. 49 AVG)', none: 'waarborg niet vastgelegd' },
};

/** Describes the retention rules in one language, e.g. "unconfirmed sign-ups: 30 days; after withdrawal: at once". */
export function describeRetention(rules: RetentionRules, lang: Language): string {
  const en = lang === 'en';
  const parts: string[] = [];
  const r = rules;
  if (r.unconfirmed_after_days !== undefined) parts.push(en ? `unconfirmed sign-ups: ${r.unconfirmed_after_days} days` : `onbevestigde aanmeldingen: ${r.unconfirmed_after_days} dagen`);
  const w = r.withdrawn_after_days ?? 0;
  parts.push(
    en
      ? `after withdrawal or objection: ${w === 0 ? 'at the next hourly retention run' : `${w} days`}`
      : `na intrekking of bezwaar: ${w === 0 ? 'bij de volgende retentieronde (elk uur)' : `${w} dagen`}`,
  );
  if (r.inactive_after_months !== undefined) parts.push(en ? `inactive contacts: ${r.inactive_after_months} months` : `inactieve contacten: ${r.inactive_after_months} maanden`);
  if (r.one_to_one_after_days !== undefined) parts.push(en ? `follow-up data: ${r.one_to_one_after_days} days` : `opvolggegevens: ${r.one_to_one_after_days} dagen`);
  if (r.former_customer_after_years !== undefined) parts.push(en ? `former customers: ${r.former_customer_after_years} years after the last purchase` : `oud-klanten: ${r.former_customer_after_years} jaar na de laatste aankoop`);
  return parts.join('; ');
}

/**
 * Builds the record of processing activities, one row per purpose (GDPR 30(1)(a)–(g)).
 * @param org the controller (30(1)(a))
 * @param purposes the purposes with lawful basis and category; data-subject and data categories default per
 *   category when not given (30(1)(b), (c))
 * @param processors processors such as the SMTP provider (30(1)(d)); those outside the EEA are listed as
 *   transfers with their safeguard, or "safeguard not recorded" (30(1)(e))
 * @param retention the retention rules (days, months, years), with the purpose's own text first (30(1)(f))
 * @param opts lang (default 'en'); security text (30(1)(g)), default DEFAULT_SECURITY
 * @returns rows in purpose order, each field plain text in the chosen language
 */
export function processingRecord(
  org: Organisation,
  purposes: readonly RecordPurposeInput[],
  processors: readonly RecordProcessorInput[],
  retention: RetentionRules,
  opts: { lang?: Language; security?: Text } = {},
): ProcessingRecordRow[] {
  const lang = opts.lang ?? 'en';
  const en = lang === 'en';
  const controller = [org.name, org.postalAddress, org.chamberOfCommerce ? `${en ? 'CoC' : 'KvK'} ${org.chamberOfCommerce}` : '']
    .filter(Boolean)
    .join(', ');
  const contact = [org.privacyContact ?? org.replyTo, org.dpoContact ? `${en ? 'DPO' : 'FG'}: ${org.dpoContact}` : '']
    .filter(Boolean)
    .join('; ');
  const recipients =
    processors.length === 0
      ? en ? 'None' : 'Geen'
      : processors.map((p) => `${p.name} (${en ? 'processor' : 'verwerker'}: ${en ? p.service_en : p.service_nl})`).join('; ');
  const abroad = processors.filter((p) => p.country && !isEeaCountry(p.country));
  const transfers =
    abroad.length === 0
      ? en ? 'None outside the EEA' : 'Geen buiten de EER'
      : abroad.map((p) => `${p.name}, ${p.country!.toUpperCase()}: ${SAFEGUARD[lang][p.safeguard ?? 'none']}`).join('; ');
  const rules = describeRetention(retention, lang);
  return purposes.map((p) => {
    const own = (en ? p.retention_en : p.retention_nl)?.trim().replace(/\.$/, '');
    const letter = p.basis.slice(-1);
    const customer = p.category === 'customer_marketing' || p.category === 'service';
    return {
      activity: en ? p.name_en : p.name_nl,
      controller,
      contact,
      lawfulBasis: `${en ? 'GDPR' : 'AVG'} 6(1)(${letter}) ${BASIS[lang][letter] ?? ''}`.trim(),
      dataSubjects: (en ? p.dataSubjects_en : p.dataSubjects_nl) ?? SUBJECTS[p.category][lang],
      dataCategories: (en ? p.dataCategories_en : p.dataCategories_nl) ?? BASE_DATA[lang] + (customer ? PURCHASE_DATA[lang] : ''),
      recipients,
      transfers,
      retention: own ? `${own}; ${rules}` : rules,
      security: (opts.security ?? DEFAULT_SECURITY)[lang],
    };
  });
}

/**
 * Writes rows as CSV per RFC 4180: a header row in the language, fields in RECORD_COLUMNS order, CRLF line
 * ends (also after the last row), quoting where needed, formula cells made inert (core/csv.ts). GDPR 30(4): the record is made available to the AP.
 * @example toCsv(processingRecord(org, purposes, [], {}), 'nl')
 */
export function toCsv(rows: readonly ProcessingRecordRow[], lang: Language = 'en'): string {
  return toCsvText([RECORD_COLUMNS.map((c) => RECORD_HEADERS[lang][c]), ...rows.map((r) => RECORD_COLUMNS.map((c) => r[c]))]);
}
