/**
 * Rendering benchmark (issue 10): composing 100,000 personalised Markdown messages of about 5 KB, HTML and text
 * parts with footer and headers, from a campaign compiled once (src/mail/compile.ts). Goal: at most 0.5 ms CPU per
 * message on one core. Reference in the same run: a bare Liquid render of the same Markdown source per message
 * (parse once, render per contact, no Markdown, no layout, no text part), reported as a ratio.
 *
 *   npx tsx bench/render.ts [messages]     (default 100000)
 */
import { Liquid } from 'liquidjs';
import { compileCampaign, composeCompiled } from '../src/mail/compile.js';
import type { Organisation } from '../src/core/organisation.js';

const N = Number(process.argv[2] ?? 100_000);

const org: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Kerkstraat 1\n3511 AB Utrecht',
  replyTo: 'info@deboon.example',
  fromAddress: 'nieuws@deboon.example',
  chamberOfCommerce: '12345678',
  logoUrl: 'https://deboon.example/media/logo.png',
  accentColour: '#9a3412',
};

const section = (i: number) => `## ${i}. Nieuws uit de branderij

Beste {{ first_name | default: "koffieliefhebber" }}, deze week branden we een **Yirgacheffe** uit Konga, licht gebrand met
tonen van *bergamot* en jasmijn. Lees [het verhaal van de boeren](https://deboon.example/verhalen/${i}) of kijk op https://deboon.example/blog/${i}.

- 250 gram op de dag van verzending gebrand
- een zetkaart voor filter en espresso
- 10% korting voor {{ first_name | default: "u" }} {{ last_name | default: "" }} op een tweede zak
`;
const body = `# De nieuwe oogst is binnen\n\n![Bonen](https://deboon.example/media/bonen.png)\n\n${Array.from({ length: 9 }, (_, i) => section(i + 1)).join('\n')}\n[Bestel de oogstbox](https://deboon.example/shop)\n\nHartelijke groet,\nTeam De Boon`;

const contacts = Array.from({ length: 1000 }, (_, i) => ({
  email: `klant${i}@voorbeeld.nl`,
  firstName: i % 7 === 0 ? null : `Naam${i}`,
  lastName: i % 3 === 0 ? null : `Achternaam${i}`,
}));

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const compileMs = cpuMs(() => compileCampaign({ org, language: 'nl', format: 'markdown', subject: 'Oogst voor {{ first_name }}', body, purposeName: 'Koffietips', links: { privacy: 'https://deboon.example/privacy', manage: 'https://deboon.example/manage' } }));
const compiled = compileCampaign({ org, language: 'nl', format: 'markdown', subject: 'Oogst voor {{ first_name }}', body, purposeName: 'Koffietips', links: { privacy: 'https://deboon.example/privacy', manage: 'https://deboon.example/manage' } });

let bytes = 0;
const compose = (n: number) => {
  for (let i = 0; i < n; i++) {
    const contact = contacts[i % contacts.length]!;
    const m = composeCompiled(compiled, {
      contact,
      unsubscribe: `https://deboon.example/u/eyJ2IjoxLCJzdWIiOi${i.toString(36)}.c2lnbmF0dXJl`,
      messageId: `m${i}@deboon.example`,
      envelopeFrom: `bounces+d${i}@deboon.example`,
      listId: 'tips.deboon.example',
    });
    bytes += m.html.length + m.text.length;
  }
};
const liquid = new Liquid({ strictVariables: true, strictFilters: true });
const parsed = liquid.parse(body);
const bare = (n: number) => {
  for (let i = 0; i < n; i++) {
    const c = contacts[i % contacts.length]!;
    bytes += (liquid.renderSync(parsed, { first_name: c.firstName, last_name: c.lastName, email: c.email, organisation: org.name }) as string).length;
  }
};

compose(2_000); // warm-up
bare(2_000);
bytes = 0;
const composeMs = cpuMs(() => compose(N));
const avgBytes = bytes / N;
const bareMs = cpuMs(() => bare(N));

const per = (ms: number) => (ms / N).toFixed(4);
console.log(`messages: ${N}, Markdown source ${body.length} characters, message parts (HTML + text) ${(avgBytes / 1024).toFixed(1)} KB on average`);
console.log(`compile once: ${compileMs.toFixed(1)} ms CPU`);
console.log(`compose:      ${composeMs.toFixed(0)} ms CPU, ${per(composeMs)} ms per message (goal ≤ 0.5)`);
console.log(`bare Liquid:  ${bareMs.toFixed(0)} ms CPU, ${per(bareMs)} ms per message (reference)`);
console.log(`ratio compose / bare Liquid render: ${(composeMs / bareMs).toFixed(2)}`);
if (composeMs / N > 0.5) process.exitCode = 1;
