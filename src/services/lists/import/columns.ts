/**
 * Column mapping for CSV/TSV imports: the fields Consentry understands, their header names in Dutch, English,
 * German and French (and Spanish for Mailchimp's own columns), the ready-made presets for other tools' exports,
 * and the `--map field=Header,…` syntax.
 * Header matching ignores case, accents, spaces, hyphens and underscores ("E-Mail-Adresse" = "email adresse").
 */
import type { SourceKind } from '../../../core/vocab.js';
import { invalid } from '../../errors.js';

export const FIELDS = [
  'email', 'first_name', 'last_name', 'name', 'company', 'job_title', 'optin_time', 'confirm_time', 'optin_ip',
  'confirm_ip', 'status', 'blocklisted', 'consent', 'unsubscribed_at', 'language', 'customer_no', 'last_order', 'product_group', 'opt_out_offered', 'fair',
  'fair_date', 'collector', 'legal_form',
] as const;
export type Field = (typeof FIELDS)[number];

/** Header names per field, in nl, en, de, fr (and Mailchimp's Spanish export headers). */
const SYNONYMS: Partial<Record<Field, string[]>> = {
  email: ['E-mailadres', 'Emailadres', 'E-mail', 'Email', 'Email Address', 'E-mail address', 'E-Mail-Adresse', 'Mail', 'Courriel', 'Adresse e-mail', 'Adresse électronique', 'Dirección de correo electrónico', 'Correo electrónico'],
  first_name: ['Voornaam', 'First name', 'Firstname', 'Given name', 'Vorname', 'Prénom', 'Nombre'],
  last_name: ['Achternaam', 'Last name', 'Lastname', 'Surname', 'Family name', 'Nachname', 'Familienname', 'Nom', 'Nom de famille', 'Apellido', 'Apellidos'],
  name: ['Naam', 'Name', 'Full name', 'Volledige naam', 'Nom complet'],
  company: ['Bedrijf', 'Bedrijfsnaam', 'Company', 'Organisation', 'Organization', 'Firma', 'Unternehmen', 'Entreprise', 'Société'],
  job_title: ['Functie', 'Job title', 'Position', 'Funktion', 'Fonction'],
  optin_time: ['Aangemeld op', 'Aanmelddatum', 'Inschrijfdatum', 'Ingeschreven op', 'Opt-in datum', 'Opt-in date', 'Signup date', 'Subscribed at', 'Subscription date', 'Angemeldet am', 'Anmeldedatum', "Date d'inscription", 'Inscrit le'],
  confirm_time: ['Bevestigd op', 'Bevestigingsdatum', 'Confirmed at', 'Confirmation date', 'Bestätigt am', 'Date de confirmation'],
  optin_ip: ['IP-adres', 'IP address', 'IP', 'IP-Adresse', 'Adresse IP'],
  // Shopify's Email Marketing Consent holds status words (subscribed, not_subscribed, unsubscribed, pending).
  status: ['Status', 'Statut', 'State', 'Email marketing consent'],
  // A yes/no column whose yes means "never mail" (Brevo's export: BLACKLISTED, EMAIL_BLACKLISTED).
  // An opt-out column: anything but an explicit no means "never mail" (Brevo's BLACKLISTED, Salesforce's Email Opt
  // Out, HubSpot's Unsubscribed from all email).
  blocklisted: [
    'Blocklisted', 'Blacklisted', 'Email blacklisted', 'Geblokkeerd', 'Blockiert', 'Bloqué', 'Liste noire', 'Unsubscribed', 'Afgemeld',
    'Uitgeschreven', 'Opt-out', 'Opted out', 'Email opt out', 'Do not email', 'Do not mail', 'Niet mailen', 'Bounced',
    'Unsubscribed from all email', 'Has opted out of email', 'Unsubscribe', 'Afmelding', 'Geen nieuwsbrief', 'Emailing opt-out',
    'Do not contact', 'Abgemeldet', 'Désabonné', 'Désinscrit',
  ],
  // A consent column with yes/no (Shopify's Accepts Email Marketing, a "Nieuwsbrief" column of a webshop).
  consent: ['Subscribed', 'Opted in', 'Nieuwsbrief', 'Newsletter', 'Toestemming', 'Consent', 'Marketing consent', 'Email consent', 'Accepts marketing', 'Accepts email marketing', 'Einwilligung', 'Consentement'],
  // When the person unsubscribed (Mailchimp's unsubscribed export: UNSUB_TIME; its cleaned export: CLEAN_TIME).
  unsubscribed_at: ['UNSUB_TIME', 'CLEAN_TIME', 'Afgemeld op', 'Afmelddatum', 'Uitgeschreven op', 'Unsubscribed at', 'Unsubscribe date', 'Unsubscribed date', 'Abgemeldet am', 'Abmeldedatum', 'Date de désinscription', 'Désinscrit le'],
  language: ['Taal', 'Language', 'Sprache', 'Langue'],
  // A webshop's customer file and a fair's business cards (as in the presets, and their English names).
  customer_no: ['Klantnummer', 'Klantnr', 'Klant-ID', 'Customer number', 'Customer no', 'Customer ID', 'Kundennummer', 'Numéro client'],
  last_order: ['Laatste bestelling', 'Laatste aankoop', 'Besteldatum', 'Last order', 'Last order date', 'Last purchase', 'Letzte Bestellung', 'Dernière commande'],
  product_group: ['Productgroep', 'Productcategorie', 'Product group', 'Product category', 'Produktgruppe', 'Catégorie de produit'],
  opt_out_offered: ['Afmelden aangeboden bij bestelling', 'Afmelden aangeboden', 'Opt-out offered', 'Opt-out offered at order', 'Unsubscribe offered'],
  fair: ['Beurs', 'Evenement', 'Trade fair', 'Fair', 'Messe'],
  fair_date: ['Beursdatum', 'Datum beurs', 'Fair date', 'Event date', 'Messedatum'],
  collector: ['Verzameld door', 'Collected by', 'Gesammelt von', 'Collecté par'],
  legal_form: ['Rechtsvorm', 'Legal form', 'Rechtsform', 'Forme juridique'],
};

/**
 * A header name reduced for comparison: lower case, no accents, no text in brackets ("Afgemeld (ja/nee)"), only
 * letters and digits ("Unsubscribed?" = "unsubscribed", "E-Mail-Adresse" = "email adresse").
 */
export const headerKey = (h: string) =>
  h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\([^)]*\)/g, '').replace(/[^a-z0-9]+/g, '');

export interface Preset {
  /** Header names per field (first present wins), tried before SYNONYMS. */
  columns: Partial<Record<Field, string[]>>;
  /** The source this export normally is, when --source is not given. */
  source?: SourceArg;
}

/** Ready-made mappings for exports of other tools and for the two Dutch files in the fixtures. */
export const PRESETS: Record<string, Preset> = {
  mailchimp: {
    columns: { email: ['Email Address'], first_name: ['First Name'], last_name: ['Last Name'], optin_time: ['OPTIN_TIME'], confirm_time: ['CONFIRM_TIME'], optin_ip: ['OPTIN_IP'], confirm_ip: ['CONFIRM_IP'] },
    source: 'own_form_export',
  },
  laposta: {
    columns: { email: ['E-mailadres', 'Email', 'email'], status: ['Status', 'state'], optin_time: ['Aangemeld', 'Aanmelddatum', 'Inschrijfdatum', 'signup_date'], optin_ip: ['IP-adres', 'IP', 'ip'] },
    source: 'own_form_export',
  },
  brevo: {
    columns: { email: ['EMAIL', 'Email'], first_name: ['FIRSTNAME', 'VOORNAAM', 'PRENOM'], last_name: ['LASTNAME', 'ACHTERNAAM', 'NOM'], optin_time: ['ADDED_TIME', 'DOUBLE_OPT-IN_TIME'], blocklisted: ['BLACKLISTED', 'EMAIL_BLACKLISTED', 'Blocklisted'] },
    source: 'own_form_export',
  },
  listmonk: {
    columns: { email: ['email'], name: ['name'], status: ['status'], optin_time: ['created_at'] },
    source: 'own_form_export',
  },
  'webshop-klanten': {
    columns: {
      customer_no: ['Klantnummer'], first_name: ['Voornaam'], last_name: ['Achternaam'], email: ['E-mailadres'],
      last_order: ['Laatste bestelling', 'Laatste bestelling (dd-mm-yyyy)'], product_group: ['Productgroep'],
      opt_out_offered: ['Afmelden aangeboden bij bestelling', 'Afmelden aangeboden bij bestelling (ja / alleen in voorwaarden / nee)'],
    },
    source: 'customer_records',
  },
  'beurs-visitekaartjes': {
    columns: { name: ['Naam'], company: ['Bedrijf'], job_title: ['Functie'], email: ['E-mail'], fair: ['Beurs'], fair_date: ['Datum'], collector: ['Verzameld door'], legal_form: ['Rechtsvorm'] },
    source: 'trade_fair',
  },
};

/** The provenance given with --source, mapped to the product's SourceKind. */
export const SOURCE_ARGS = { own_form_export: 'form', customer_records: 'customer_records', trade_fair: 'trade_fair', third_party: 'third_party', public_profile: 'public_profile' } as const satisfies Record<string, SourceKind>;
export type SourceArg = keyof typeof SOURCE_ARGS;
export const isSourceArg = (x: string): x is SourceArg => x in SOURCE_ARGS;

/**
 * Parses `email=E-mail,first_name=Voornaam`.
 * @throws DomainError invalid (field 'map') for an unknown field or a pair without `=`
 */
export function parseMap(spec: string): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field, header] = pair.split('=', 2).map((s) => s.trim());
    if (!field || !header) throw invalid('map', `"${pair}" is not field=Header`);
    if (!(FIELDS as readonly string[]).includes(field)) throw invalid('map', `unknown field "${field}"; known: ${FIELDS.join(', ')}`);
    out[field as Field] = [header];
  }
  return out;
}

/** Which header names to look for: `explicit` (from --map) must be present; `preset` names are preferred. */
export interface ColumnMapping {
  explicit: Partial<Record<Field, string[]>>;
  preset: Partial<Record<Field, string[]>>;
  /** One field (or null: keep as an attribute) per column, in order: when given, the whole mapping. */
  byColumn?: Array<Field | null>;
}

/** How an import names its columns: a preset, a `--map` spec, or one choice per column (the admin's chooser). */
export interface MappingInput {
  preset?: string;
  /** `email=E-mail,first_name=Voornaam` */
  map?: string;
  /** One field or null per column, in the file's order; wins over `map` and `preset`. */
  columns?: Array<Field | null>;
}

/**
 * The admin's column choices, one per column (`''` keeps the column as an attribute).
 * @throws DomainError invalid (field 'columns') for a value that is not one of FIELDS
 */
export function parseColumnChoices(values: string[]): Array<Field | null> {
  return values.map((v, i) => {
    if (v === '') return null;
    if (!(FIELDS as readonly string[]).includes(v)) throw invalid('columns', `column ${i + 1}: unknown field "${v}"; known: ${FIELDS.join(', ')}`);
    return v as Field;
  });
}

/**
 * The column mapping of an import or a preview.
 * @throws DomainError invalid naming `preset` (unknown) or `map` (bad spec)
 */
export function columnMapping(input: MappingInput): ColumnMapping {
  if (input.preset && !PRESETS[input.preset]) throw invalid('preset', `unknown preset "${input.preset}"; known: ${Object.keys(PRESETS).join(', ')}`);
  return {
    explicit: input.map ? parseMap(input.map) : {},
    preset: input.preset ? PRESETS[input.preset]!.columns : {},
    ...(input.columns && { byColumn: input.columns }),
  };
}

/** The column choice per column, as `resolveColumns` returns it. @throws DomainError invalid (field 'columns') */
function resolveByColumn(header: string[], byColumn: Array<Field | null>): { index: Partial<Record<Field, number>>; rest: number[] } {
  if (byColumn.length !== header.length) {
    throw invalid('columns', `the file has ${header.length} columns and ${byColumn.length} were chosen; look at the file again`, 'import-columns-changed');
  }
  const index: Partial<Record<Field, number>> = {};
  byColumn.forEach((field, i) => {
    if (!field) return;
    if (index[field] !== undefined) {
      throw invalid('columns', `${field} is chosen for two columns, "${header[index[field]!]}" and "${header[i]}"; choose it for one`, 'import-column-twice');
    }
    index[field] = i;
  });
  if (index.email === undefined) throw invalid('columns', 'choose the column that holds the e-mail address', 'import-no-email-column');
  return { index, rest: header.map((_, i) => i).filter((i) => !byColumn[i] && header[i]!.trim() !== '') };
}

/**
 * Resolves which column index holds each field: the explicit mapping first, then the preset's names, then the
 * synonyms. A preset's column that a file lacks (an export without names, say) is simply absent.
 * @returns field → column index, and the indexes left over (kept as attributes)
 * @throws DomainError invalid (field 'map') when an explicitly mapped header is missing, or no e-mail column is found;
 *   (field 'columns') when a per-column choice does not fit the header, names a field twice or no e-mail column
 */
export function resolveColumns(header: string[], mapping: ColumnMapping): { index: Partial<Record<Field, number>>; rest: number[] } {
  if (mapping.byColumn) return resolveByColumn(header, mapping.byColumn);
  const resolved = matchColumns(header, mapping);
  if (resolved.index.email === undefined) {
    throw invalid('map', `no e-mail column found in the header (${header.join(', ')}); name it with --map email=<header>`, 'import-no-email-column');
  }
  return resolved;
}

/**
 * The columns recognised by the preset's names and the usual names alone, with or without an e-mail column: the
 * starting point of the admin's column chooser when the mapping did not fit.
 */
export function guessColumns(header: string[], preset: ColumnMapping['preset']): { index: Partial<Record<Field, number>>; rest: number[] } {
  return matchColumns(header, { explicit: {}, preset });
}

/** Field → column by the explicit names, else the preset's and the usual names. @throws DomainError invalid (field 'map') */
function matchColumns(header: string[], mapping: ColumnMapping): { index: Partial<Record<Field, number>>; rest: number[] } {
  const keys = header.map(headerKey);
  const index: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) {
    const wanted = mapping.explicit[field];
    const names = wanted ?? [...(mapping.preset[field] ?? []), ...(SYNONYMS[field] ?? [])];
    const i = names.map((n) => keys.indexOf(headerKey(n))).find((x) => x >= 0);
    if (i !== undefined && !Object.values(index).includes(i)) index[field] = i;
    else if (wanted && i === undefined) throw invalid('map', `column "${wanted[0]}" for ${field} is not in the header (${header.join(', ')})`);
  }
  const used = new Set(Object.values(index));
  return { index, rest: header.map((_, i) => i).filter((i) => !used.has(i) && header[i]!.trim() !== '') };
}
