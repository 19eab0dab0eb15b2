/**
 * The privacy notice's model (DESIGN.md "Privacy notice", SCENARIOS G2): one structured field per item of
 * GDPR art. 13 and the art. 14 additions for data obtained from other sources, free text per language.
 * `missingItems` lists exactly what is still missing before a notice may be published; `draftNotice` fills in
 * what the product already knows. Pure.
 *
 * Field states: `null` = not answered yet (missing); `'none'` = answered "none / not applicable" (present).
 */
import { z } from 'zod';
import { LAWFUL_BASES, type LawfulBasis } from './vocab.js';
import type { Organisation } from './organisation.js';

/** A free text in both product languages. */
export const textSchema = z.object({ nl: z.string(), en: z.string() });
export type Text = z.infer<typeof textSchema>;

const emptyText = (): Text => ({ nl: '', en: '' });
/** True when the text is filled in in both languages. */
export const hasText = (t: Text | null | undefined): boolean =>
  !!t && t.nl.trim().length > 0 && t.en.trim().length > 0;

/** EEA member states (EU 27 + Iceland, Liechtenstein, Norway), ISO 3166-1 alpha-2. */
export const EEA_COUNTRIES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU',
  'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
] as const;
/** Whether an ISO 3166-1 alpha-2 code is inside the EEA (GDPR ch. V applies outside it). */
export const isEeaCountry = (code: string): boolean => (EEA_COUNTRIES as readonly string[]).includes(code.toUpperCase());

/** Safeguards for a transfer outside the EEA (GDPR 45, 46(2), 47, 49). */
export const TRANSFER_SAFEGUARDS = ['adequacy_decision', 'standard_contractual_clauses', 'binding_corporate_rules', 'derogation'] as const;
export type TransferSafeguard = (typeof TRANSFER_SAFEGUARDS)[number];

const purposeSchema = z.object({
  id: z.string().min(1),
  name: textSchema,
  basis: z.enum(LAWFUL_BASES),
  /** How long data for this purpose is kept, or the criteria (13(2)(a)). */
  retention: textSchema,
  /** Clicks on links in this purpose's mail are counted per link, in aggregate only (issue 10; 13(1)(c)). */
  countsClicks: z.boolean().optional(),
});

const recipientSchema = z.object({
  name: z.string().trim().min(1),
  /** processor (GDPR 28, e.g. the SMTP provider) or another controller receiving the data. */
  role: z.enum(['processor', 'controller']),
  /** What the recipient does with the data. */
  task: textSchema,
  /** Country where the data is processed, ISO 3166-1 alpha-2. */
  country: z.string().length(2).optional(),
});

const transferSchema = z.object({
  recipient: z.string().trim().min(1),
  country: z.string().length(2),
  safeguard: z.enum(TRANSFER_SAFEGUARDS),
  /** Which decision or clauses, and where a copy can be obtained (13(1)(f)). */
  details: textSchema,
});

export const noticeContentSchema = z.object({
  /** 13(1)(a): identity and contact details of the controller. */
  controller: z.object({
    name: z.string(),
    postalAddress: z.string(),
    email: z.string(),
    website: z.string().optional(),
    chamberOfCommerce: z.string().optional(),
  }),
  /** 13(1)(b): contact of the data protection officer, or explicitly none appointed; null = not answered. */
  dpo: z
    .discriminatedUnion('appointed', [
      z.object({ appointed: z.literal(true), contact: z.string() }),
      z.object({ appointed: z.literal(false) }),
    ])
    .nullable(),
  /** 13(1)(c) purposes with their lawful basis; 13(2)(a) retention per purpose. */
  purposes: z.array(purposeSchema),
  /** 13(1)(d): the legitimate interest for each purpose on GDPR 6(1)(f). */
  legitimateInterests: z.array(z.object({ purposeId: z.string(), interest: textSchema })),
  /** 13(1)(e): recipients and processors, or 'none'. */
  recipients: z.union([z.literal('none'), z.array(recipientSchema)]).nullable(),
  /** 13(1)(f): transfers outside the EEA with their safeguards, or 'none'. */
  transfers: z.union([z.literal('none'), z.array(transferSchema)]).nullable(),
  /** 13(2)(b): the rights of access, rectification, erasure, restriction, objection and portability. */
  rights: textSchema,
  /** 13(2)(c): withdrawing consent at any time (needed when a purpose rests on consent). */
  withdrawal: textSchema,
  /** 13(2)(d): the right to complain to a supervisory authority. */
  complaint: z.object({ authority: z.string(), postalAddress: z.string(), website: z.string(), text: textSchema }),
  /** 13(2)(e): whether providing the data is required, and the consequences of not providing it. */
  provisionRequirement: textSchema,
  /** 13(2)(f): automated decision-making incl. profiling (logic, significance, consequences), or 'none'. */
  automatedDecisions: z.union([z.literal('none'), textSchema]).nullable(),
  /** Art. 14 additions when data is obtained from other sources; null = not described. */
  otherSources: z
    .object({
      /** 14(1)(d): the categories of personal data concerned. */
      dataCategories: textSchema,
      /** 14(2)(f): the source(s), and whether publicly accessible. */
      sources: textSchema,
    })
    .nullable(),
});
export type NoticeContent = z.infer<typeof noticeContentSchema>;

export interface MissingItem {
  /** The GDPR item, e.g. '13(1)(b)'. */
  item: string;
  /** Path of the field to fill in, e.g. 'dpo' or 'purposes[0].retention'. */
  field: string;
  en: string;
  nl: string;
}

const miss = (item: string, field: string, en: string, nl: string): MissingItem => ({ item, field, en, nl });

/**
 * Lists exactly the art. 13/14 items still missing, in article order (an explicit 'none' counts as present;
 * texts must be filled in in both languages). Conditional items:
 * - 13(1)(d) when `opts.usesLegitimateInterest` or a purpose rests on A6-1-f: one interest per such purpose;
 * - 13(2)(c) when a purpose rests on consent (A6-1-a);
 * - 14(1)(d) and 14(2)(f) when `opts.usesOtherSources`;
 * - 13(1)(f) also for each recipient located outside the EEA that no transfer entry names;
 * - 13(1)(e) also when `opts.sendsThroughRelay` (mail goes out through an SMTP provider, a processor under GDPR 28)
 *   while the recipients were stated as "none": that statement cannot be true.
 * Recipients and transfers that were never stated (null) are missing: "not stated" is not "none".
 * @returns [] when the notice is complete; one entry per missing field otherwise
 * @example missingItems(draft, { usesOtherSources: false, usesLegitimateInterest: false })
 *   // [{ item: '13(1)(b)', field: 'dpo', en: '…', nl: '…' }, …]
 */
export function missingItems(
  content: NoticeContent,
  opts: { usesOtherSources: boolean; usesLegitimateInterest: boolean; sendsThroughRelay?: boolean },
): MissingItem[] {
  const out: MissingItem[] = [];
  const c = content.controller;
  const labels = [['name', 'name', 'Naam'], ['postalAddress', 'postal address', 'Postadres'], ['email', 'e-mail', 'E-mail']] as const;
  for (const [key, en, nl] of labels)
    if (!c[key].trim()) out.push(miss('13(1)(a)', `controller.${key}`, `Controller's ${en}`, `${nl} van de verantwoordelijke`));
  const dpo = content.dpo;
  if (dpo === null || (dpo.appointed && !dpo.contact.trim()))
    out.push(miss('13(1)(b)', 'dpo', 'Data protection officer contact, or "none appointed"', 'Contactgegevens van de functionaris gegevensbescherming, of "geen aangesteld"'));
  if (content.purposes.length === 0)
    out.push(miss('13(1)(c)', 'purposes', 'At least one purpose with its lawful basis', 'Ten minste één doel met de grondslag'));
  content.purposes.forEach((p, i) => {
    if (!hasText(p.name))
      out.push(miss('13(1)(c)', `purposes[${i}].name`, `Name of purpose "${p.id}" in Dutch and English`, `Naam van doel "${p.id}" in het Nederlands en Engels`));
  });
  const liPurposes = content.purposes.filter((p) => p.basis === 'A6-1-f');
  if (opts.usesLegitimateInterest && liPurposes.length === 0 && !content.legitimateInterests.some((l) => hasText(l.interest)))
    out.push(miss('13(1)(d)', 'legitimateInterests', 'The legitimate interests pursued', 'De gerechtvaardigde belangen die worden nagestreefd'));
  for (const p of liPurposes) {
    if (!content.legitimateInterests.some((l) => l.purposeId === p.id && hasText(l.interest)))
      out.push(miss('13(1)(d)', `legitimateInterests.${p.id}`, `The legitimate interest for purpose "${p.id}"`, `Het gerechtvaardigd belang voor doel "${p.id}"`));
  }
  const rec = content.recipients;
  if (rec === null || (rec !== 'none' && rec.length === 0))
    out.push(miss('13(1)(e)', 'recipients', 'Recipients and processors (such as the e-mail provider), or "none"', 'Ontvangers en verwerkers (zoals de e-mailprovider), of "geen"'));
  else if (rec === 'none' && opts.sendsThroughRelay)
    out.push(miss('13(1)(e)', 'recipients.mailProvider', 'The e-mail provider that sends the mail (SMTP is set up) as processor: the notice says "none"', 'De e-mailprovider die de mail verstuurt (SMTP is ingesteld) als verwerker: de verklaring zegt "geen"'));
  else if (rec !== 'none')
    rec.forEach((r, i) => {
      if (!hasText(r.task))
        out.push(miss('13(1)(e)', `recipients[${i}].task`, `What ${r.name} does with the data`, `Wat ${r.name} met de gegevens doet`));
    });
  const tr = content.transfers;
  if (tr === null || (tr !== 'none' && tr.length === 0))
    out.push(miss('13(1)(f)', 'transfers', 'Transfers outside the EEA and their safeguards, or "none"', 'Doorgifte buiten de EER en de waarborgen, of "geen"'));
  else if (tr !== 'none')
    tr.forEach((t, i) => {
      if (!hasText(t.details))
        out.push(miss('13(1)(f)', `transfers[${i}].details`, `Safeguard details for the transfer to ${t.recipient}`, `Details van de waarborg voor de doorgifte aan ${t.recipient}`));
    });
  if (tr !== null && rec !== null && rec !== 'none')
    for (const r of rec) {
      const listed = tr !== 'none' && tr.some((t) => t.recipient === r.name);
      if (r.country && !isEeaCountry(r.country) && !listed)
        out.push(miss('13(1)(f)', `transfers.${r.name}`, `The transfer to ${r.name} (${r.country}, outside the EEA) and its safeguard`, `De doorgifte aan ${r.name} (${r.country}, buiten de EER) en de waarborg`));
    }
  content.purposes.forEach((p, i) => {
    if (!hasText(p.retention))
      out.push(miss('13(2)(a)', `purposes[${i}].retention`, `Retention period for purpose "${p.id}"`, `Bewaartermijn voor doel "${p.id}"`));
  });
  if (!hasText(content.rights))
    out.push(miss('13(2)(b)', 'rights', 'The data subject\'s rights', 'De rechten van de betrokkene'));
  if (content.purposes.some((p) => p.basis === 'A6-1-a') && !hasText(content.withdrawal))
    out.push(miss('13(2)(c)', 'withdrawal', 'How to withdraw consent at any time', 'Hoe toestemming op elk moment kan worden ingetrokken'));
  const cp = content.complaint;
  if (!cp.authority.trim() || !cp.website.trim() || !hasText(cp.text))
    out.push(miss('13(2)(d)', 'complaint', 'The right to complain to the Autoriteit Persoonsgegevens', 'Het recht om te klagen bij de Autoriteit Persoonsgegevens'));
  if (!hasText(content.provisionRequirement))
    out.push(miss('13(2)(e)', 'provisionRequirement', 'Whether providing the data is required, and what happens if not', 'Of het verstrekken van de gegevens verplicht is, en wat de gevolgen zijn als dat niet gebeurt'));
  const ad = content.automatedDecisions;
  if (ad === null || (ad !== 'none' && !hasText(ad)))
    out.push(miss('13(2)(f)', 'automatedDecisions', 'Automated decision-making and profiling, or "none"', 'Geautomatiseerde besluitvorming en profilering, of "geen"'));
  if (opts.usesOtherSources) {
    const os = content.otherSources;
    if (!hasText(os?.dataCategories))
      out.push(miss('14(1)(d)', 'otherSources.dataCategories', 'Categories of personal data obtained from other sources', 'Categorieën persoonsgegevens uit andere bronnen'));
    if (!hasText(os?.sources))
      out.push(miss('14(2)(f)', 'otherSources.sources', 'The source of the data, and whether it is publicly accessible', 'De bron van de gegevens, en of die openbaar is'));
  }
  return out;
}

/** Standard texts the draft fills in. */
export const STANDARD_TEXTS = {
  rights: {
    nl: 'U hebt het recht op inzage in uw gegevens (art. 15 AVG), op rectificatie (art. 16), op wissing (art. 17), op beperking van de verwerking (art. 18), op overdraagbaarheid (art. 20) en het recht om bezwaar te maken (art. 21), tegen direct marketing op elk moment. Stuur uw verzoek naar het contactadres hierboven; wij antwoorden binnen een maand (art. 12 lid 3).',
    en: 'You have the right to access your data (GDPR art. 15), to rectification (art. 16), to erasure (art. 17), to restriction of processing (art. 18), to data portability (art. 20) and the right to object (art. 21), to direct marketing at any time. Send your request to the contact address above; we answer within one month (art. 12(3)).',
  },
  withdrawal: {
    nl: 'U kunt uw toestemming op elk moment intrekken, even eenvoudig als u die gaf: via de afmeldlink in elk bericht of door ons te mailen. Dat doet niets af aan de rechtmatigheid van de verwerking vóór de intrekking (art. 7 lid 3 AVG).',
    en: 'You can withdraw your consent at any time, as easily as you gave it: through the unsubscribe link in every message or by e-mailing us. This does not affect the lawfulness of processing before the withdrawal (GDPR art. 7(3)).',
  },
  complaint: {
    nl: 'U hebt het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens.',
    en: 'You have the right to lodge a complaint with the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).',
  },
} as const satisfies Record<string, Text>;

/** The Dutch supervisory authority (GDPR 13(2)(d), 77). */
export const AUTORITEIT_PERSOONSGEGEVENS = {
  authority: 'Autoriteit Persoonsgegevens',
  postalAddress: 'Postbus 93374, 2509 AJ Den Haag',
  website: 'https://autoriteitpersoonsgegevens.nl',
} as const;

/** A purpose as the product knows it. Retention texts are optional; without them 13(2)(a) stays missing. */
export interface NoticePurposeInput {
  id: string;
  name_nl: string;
  name_en: string;
  basis: LawfulBasis;
  retention_nl?: string;
  retention_en?: string;
}

/** A processor (GDPR 28) such as the SMTP provider or the host. */
export interface ProcessorInput {
  name: string;
  service_nl: string;
  service_en: string;
  /** ISO 3166-1 alpha-2 country where it processes the data. */
  country?: string;
}

/** The controller's identity as the notice states it (GDPR 13(1)(a)): name, postal address, privacy contact. */
export function controllerOf(org: Organisation): NoticeContent['controller'] {
  return {
    name: org.name,
    postalAddress: org.postalAddress,
    email: org.privacyContact ?? org.replyTo,
    ...(org.website ? { website: org.website } : {}),
    ...(org.chamberOfCommerce ? { chamberOfCommerce: org.chamberOfCommerce } : {}),
  };
}

/**
 * Drafts a notice from what is known: the controller from the organisation (13(1)(a)), the DPO when one is set
 * (13(1)(b)), purposes and bases (13(1)(c)), an empty interest per 6(1)(f) purpose (13(1)(d)), the processors
 * (13(1)(e)), retention texts when given (13(2)(a)), the standard rights text (13(2)(b)), the withdrawal text
 * when a purpose rests on consent (13(2)(c)), the AP complaint (13(2)(d)) and no automated decisions (13(2)(f)).
 * Unknowns stay null or empty so that `missingItems` lists them: DPO when not set (the organisation may not have
 * appointed one, which must be stated), recipients without `processors`, transfers, 13(2)(e), art. 14.
 * @returns a NoticeContent that `noticeContentSchema` accepts
 */
export function draftNotice(
  org: Organisation,
  purposes: NoticePurposeInput[],
  processors?: ProcessorInput[],
): NoticeContent {
  const usesConsent = purposes.some((p) => p.basis === 'A6-1-a');
  return {
    controller: controllerOf(org),
    dpo: org.dpoContact ? { appointed: true, contact: org.dpoContact } : null,
    purposes: purposes.map((p) => ({
      id: p.id,
      name: { nl: p.name_nl, en: p.name_en },
      basis: p.basis,
      retention: { nl: p.retention_nl ?? '', en: p.retention_en ?? '' },
    })),
    legitimateInterests: purposes
      .filter((p) => p.basis === 'A6-1-f')
      .map((p) => ({ purposeId: p.id, interest: emptyText() })),
    recipients: processors
      ? processors.map((p) => ({
          name: p.name,
          role: 'processor' as const,
          task: { nl: p.service_nl, en: p.service_en },
          ...(p.country ? { country: p.country.toUpperCase() } : {}),
        }))
      : null,
    transfers: null,
    rights: { ...STANDARD_TEXTS.rights },
    withdrawal: usesConsent ? { ...STANDARD_TEXTS.withdrawal } : emptyText(),
    complaint: { ...AUTORITEIT_PERSOONSGEGEVENS, text: { ...STANDARD_TEXTS.complaint } },
    provisionRequirement: emptyText(),
    automatedDecisions: 'none',
    otherSources: null,
  };
}
