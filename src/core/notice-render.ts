/**
 * Renders a privacy notice (notice.ts) as plain structured text in Dutch or English: a title and one section per
 * GDPR art. 13/14 item, each naming its item. No HTML: the web layer escapes and lays it out. Sections that do
 * not apply (no 6(1)(f) purpose, no consent, no other sources) or are not answered are left out; call
 * `missingItems` before publishing. Pure.
 */
import { translator } from '../i18n.js';
import type { Language, LawfulBasis } from './vocab.js';
import { hasText, type NoticeContent, type Text } from './notice.js';

const nl = {
  title: 'Privacyverklaring van {{name}} (versie {{version}})',
  'h.controller': 'Wie wij zijn',
  'h.dpo': 'Functionaris gegevensbescherming',
  'h.purposes': 'Waarvoor wij uw gegevens gebruiken',
  'h.interests': 'Onze gerechtvaardigde belangen',
  'h.recipients': 'Wie uw gegevens ontvangen',
  'h.transfers': 'Doorgifte buiten de Europese Economische Ruimte',
  'h.retention': 'Hoe lang wij uw gegevens bewaren',
  'h.rights': 'Uw rechten',
  'h.withdrawal': 'Toestemming intrekken',
  'h.complaint': 'Klacht indienen',
  'h.provision': 'Bent u verplicht gegevens te geven?',
  'h.automated': 'Geautomatiseerde besluiten',
  'h.categories': 'Gegevens die wij van anderen krijgen',
  'h.sources': 'Waar die gegevens vandaan komen',
  controller: '{{name}} is verantwoordelijk voor de verwerking van uw persoonsgegevens. Postadres: {{address}}.',
  contact: 'Vragen over privacy stuurt u naar {{email}}.',
  kvk: 'KvK-nummer: {{kvk}}.',
  website: 'Website: {{website}}.',
  dpoYes: 'Onze functionaris gegevensbescherming is bereikbaar via {{contact}}.',
  dpoNo: 'Wij hebben geen functionaris gegevensbescherming aangesteld.',
  purpose: '{{name}} — {{basis}}.',
  clicks:
    'In e-mails voor {{name}} tellen wij per link hoe vaak erop is geklikt, alleen als totaal: wij leggen niet vast wie klikt, en bewaren daarbij geen IP-adres. Wij gebruiken geen pixel die bijhoudt of u een e-mail opent.',
  'basis.A6-1-a': 'op basis van uw toestemming (art. 6 lid 1 onder a AVG)',
  'basis.A6-1-b': 'omdat dit nodig is voor een overeenkomst met u (art. 6 lid 1 onder b AVG)',
  'basis.A6-1-c': 'omdat de wet ons dit verplicht (art. 6 lid 1 onder c AVG)',
  'basis.A6-1-d': 'om uw vitale belangen of die van een ander te beschermen (art. 6 lid 1 onder d AVG)',
  'basis.A6-1-e': 'voor een taak van algemeen belang (art. 6 lid 1 onder e AVG)',
  'basis.A6-1-f': 'op basis van ons gerechtvaardigd belang (art. 6 lid 1 onder f AVG)',
  labelled: '{{label}}: {{text}}',
  recipientsNone: 'Wij geven uw gegevens aan niemand anders.',
  recipientsIntro: 'Deze partijen ontvangen uw gegevens:',
  'role.processor': 'verwerker, werkt in onze opdracht',
  'role.controller': 'ontvanger',
  recipient: '{{name}} ({{role}}): {{task}}',
  transfersNone: 'Uw gegevens worden niet buiten de Europese Economische Ruimte (EER) verwerkt.',
  transfer: '{{recipient}} in {{country}} — {{safeguard}}. {{details}}',
  'sg.adequacy_decision': 'op basis van een adequaatheidsbesluit van de Europese Commissie (art. 45 AVG)',
  'sg.standard_contractual_clauses': 'met modelcontractbepalingen van de Europese Commissie (art. 46 lid 2 AVG)',
  'sg.binding_corporate_rules': 'met bindende bedrijfsvoorschriften (art. 47 AVG)',
  'sg.derogation': 'op grond van een uitzondering van art. 49 AVG',
  authority: '{{authority}}, {{address}}, {{website}}',
  automatedNone:
    'Wij nemen geen besluiten over u die uitsluitend op geautomatiseerde verwerking, waaronder profilering, berusten en die rechtsgevolgen voor u hebben of u anderszins in aanmerkelijke mate treffen (art. 22 AVG).',
};
const en: typeof nl = {
  title: 'Privacy notice of {{name}} (version {{version}})',
  'h.controller': 'Who we are',
  'h.dpo': 'Data protection officer',
  'h.purposes': 'What we use your data for',
  'h.interests': 'Our legitimate interests',
  'h.recipients': 'Who receives your data',
  'h.transfers': 'Transfers outside the European Economic Area',
  'h.retention': 'How long we keep your data',
  'h.rights': 'Your rights',
  'h.withdrawal': 'Withdrawing consent',
  'h.complaint': 'Making a complaint',
  'h.provision': 'Do you have to give us your data?',
  'h.automated': 'Automated decisions',
  'h.categories': 'Data we obtain from others',
  'h.sources': 'Where that data comes from',
  controller: '{{name}} is the controller of your personal data. Postal address: {{address}}.',
  contact: 'Please send questions about privacy to {{email}}.',
  kvk: 'Chamber of Commerce number: {{kvk}}.',
  website: 'Website: {{website}}.',
  dpoYes: 'Our data protection officer can be reached at {{contact}}.',
  dpoNo: 'We have not appointed a data protection officer.',
  purpose: '{{name}} — {{basis}}.',
  clicks:
    'In e-mails for {{name}} we count how often each link is clicked, as a total only: we do not record who clicks, and keep no IP address with it. We use no pixel that tracks whether you open an e-mail.',
  'basis.A6-1-a': 'based on your consent (GDPR art. 6(1)(a))',
  'basis.A6-1-b': 'because it is necessary for a contract with you (GDPR art. 6(1)(b))',
  'basis.A6-1-c': 'because the law requires it of us (GDPR art. 6(1)(c))',
  'basis.A6-1-d': 'to protect your vital interests or those of another person (GDPR art. 6(1)(d))',
  'basis.A6-1-e': 'for a task carried out in the public interest (GDPR art. 6(1)(e))',
  'basis.A6-1-f': 'based on our legitimate interest (GDPR art. 6(1)(f))',
  labelled: '{{label}}: {{text}}',
  recipientsNone: 'We do not give your data to anyone else.',
  recipientsIntro: 'These parties receive your data:',
  'role.processor': 'processor, acting on our instructions',
  'role.controller': 'recipient',
  recipient: '{{name}} ({{role}}): {{task}}',
  transfersNone: 'Your data is not processed outside the European Economic Area (EEA).',
  transfer: '{{recipient}} in {{country}} — {{safeguard}}. {{details}}',
  'sg.adequacy_decision': 'under an adequacy decision of the European Commission (GDPR art. 45)',
  'sg.standard_contractual_clauses': 'with the European Commission’s standard contractual clauses (GDPR art. 46(2))',
  'sg.binding_corporate_rules': 'with binding corporate rules (GDPR art. 47)',
  'sg.derogation': 'under a derogation of GDPR art. 49',
  authority: '{{authority}}, {{address}}, {{website}}',
  automatedNone:
    'We make no decisions about you based solely on automated processing, including profiling, that produce legal effects concerning you or similarly significantly affect you (GDPR art. 22).',
};

const t = translator({ nl, en }, false);

export interface RenderedSection {
  heading: string;
  paragraphs: string[];
  /** The GDPR item the section answers, e.g. '13(1)(a)'. */
  item: string;
}
export interface RenderedNotice {
  title: string;
  sections: RenderedSection[];
}

/** The name of a country (ISO 3166-1 alpha-2) in the language, or the code when unknown. */
function countryName(code: string, lang: Language): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * Renders the notice in one language.
 * @param content the notice (see `noticeContentSchema`)
 * @param lang 'nl' or 'en'
 * @param version the notice version shown in the title; consent events record it (GDPR 7(1), G2)
 * @returns the title and the sections in article order (13(1)(a) … 13(2)(f), then 14(1)(d), 14(2)(f)); each
 *   paragraph is plain text. Sections not answered (null) or not applicable are left out.
 * @example renderNotice(content, 'nl', '2025-03').sections[0] // { heading: 'Wie wij zijn', item: '13(1)(a)', … }
 */
export function renderNotice(content: NoticeContent, lang: Language, version: string): RenderedNotice {
  const tx = (x: Text) => x[lang].trim();
  const sections: RenderedSection[] = [];
  const add = (item: string, key: string, paragraphs: string[]) => {
    const kept = paragraphs.filter((p) => p.trim().length > 0);
    if (kept.length > 0) sections.push({ heading: t(lang, `h.${key}`), paragraphs: kept, item });
  };
  const c = content.controller;
  add('13(1)(a)', 'controller', [
    t(lang, 'controller', { name: c.name, address: c.postalAddress }),
    t(lang, 'contact', { email: c.email }),
    c.chamberOfCommerce ? t(lang, 'kvk', { kvk: c.chamberOfCommerce }) : '',
    c.website ? t(lang, 'website', { website: c.website }) : '',
  ]);
  if (content.dpo)
    add('13(1)(b)', 'dpo', [content.dpo.appointed ? t(lang, 'dpoYes', { contact: content.dpo.contact }) : t(lang, 'dpoNo')]);
  const nameOf = new Map(content.purposes.map((p) => [p.id, tx(p.name)]));
  add(
    '13(1)(c)',
    'purposes',
    content.purposes.flatMap((p) => [
      t(lang, 'purpose', { name: tx(p.name), basis: t(lang, `basis.${p.basis satisfies LawfulBasis}`) }),
      ...(p.countsClicks ? [t(lang, 'clicks', { name: tx(p.name) })] : []),
    ]),
  );
  add(
    '13(1)(d)',
    'interests',
    content.legitimateInterests
      .filter((l) => hasText(l.interest))
      .map((l) => t(lang, 'labelled', { label: nameOf.get(l.purposeId) ?? l.purposeId, text: tx(l.interest) })),
  );
  const rec = content.recipients;
  if (rec === 'none') add('13(1)(e)', 'recipients', [t(lang, 'recipientsNone')]);
  else if (rec && rec.length > 0)
    add('13(1)(e)', 'recipients', [
      t(lang, 'recipientsIntro'),
      ...rec.map((r) => t(lang, 'recipient', { name: r.name, role: t(lang, `role.${r.role}`), task: tx(r.task) })),
    ]);
  const tr = content.transfers;
  if (tr === 'none') add('13(1)(f)', 'transfers', [t(lang, 'transfersNone')]);
  else if (tr)
    add(
      '13(1)(f)',
      'transfers',
      tr.map((x) =>
        t(lang, 'transfer', {
          recipient: x.recipient,
          country: countryName(x.country, lang),
          safeguard: t(lang, `sg.${x.safeguard}`),
          details: tx(x.details),
        }).trim(),
      ),
    );
  add(
    '13(2)(a)',
    'retention',
    content.purposes.filter((p) => hasText(p.retention)).map((p) => t(lang, 'labelled', { label: tx(p.name), text: tx(p.retention) })),
  );
  add('13(2)(b)', 'rights', [tx(content.rights)]);
  if (content.purposes.some((p) => p.basis === 'A6-1-a')) add('13(2)(c)', 'withdrawal', [tx(content.withdrawal)]);
  const cp = content.complaint;
  add('13(2)(d)', 'complaint', [
    tx(cp.text),
    cp.authority ? t(lang, 'authority', { authority: cp.authority, address: cp.postalAddress, website: cp.website }) : '',
  ]);
  add('13(2)(e)', 'provision', [tx(content.provisionRequirement)]);
  const ad = content.automatedDecisions;
  if (ad !== null) add('13(2)(f)', 'automated', [ad === 'none' ? t(lang, 'automatedNone') : tx(ad)]);
  if (content.otherSources) {
    add('14(1)(d)', 'categories', [tx(content.otherSources.dataCategories)]);
    add('14(2)(f)', 'sources', [tx(content.otherSources.sources)]);
  }
  return { title: t(lang, 'title', { name: c.name, version }), sections };
}
