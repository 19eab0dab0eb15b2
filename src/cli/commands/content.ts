/**
 * Mail content from the command line: `consentry media add|list` (files served at a stable URL for mail),
 * `consentry org branding` (logo and accent colour of every mail), `consentry purpose welcome` (the welcome mail)
 * and `consentry purpose item` (what a download purpose delivers). The admin pages call the same services.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { setPurposeItem, setWelcomeMail } from '../../services/consent/welcome.js';
import { setMailBranding } from '../../services/organisation/branding.js';
import { addMedia, listMedia } from '../../services/organisation/media.js';
import type { Context } from '../../context.js';
import { printJson, printTable, withContext } from '../shared.js';

const mediaDeps = (ctx: Context) => ({ ...ctx.deps, mediaDir: ctx.config.paths.media });

/** A URL as given, or a local file uploaded first (its public URL). */
async function urlOrFile(ctx: Context, value: string): Promise<string> {
  if (/^https?:\/\//.test(value) || !existsSync(value)) return value;
  return (await addMedia(mediaDeps(ctx), { fileName: value, data: readFileSync(value) })).url;
}

/** Adds `sub` under the existing group `name`, or a new group when it does not exist yet. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function registerContent(program: Command): void {
  const media = program.command('media').description('files for mail (images, downloads), served by Consentry at a stable URL');
  media
    .command('add')
    .description('store a file (PNG, JPEG, GIF, WebP, PDF, EPUB, ZIP; at most 20 MB) and print its public URL')
    .argument('<file>', 'the file')
    .option('--json', 'print as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const m = await addMedia(mediaDeps(ctx), { fileName: file, data: readFileSync(file) });
        if (o.json) printJson(m);
        else console.log(m.url);
      });
    });
  media
    .command('list')
    .description('the files stored, newest first')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const all = await listMedia(mediaDeps(ctx));
        if (o.json) printJson(all);
        else printTable(all.map((m) => ({ url: m.url, type: m.contentType, bytes: m.size })));
      });
    });

  group(program, 'org', 'the organisation')
    .command('branding')
    .description('logo and accent colour of every mail')
    .option('--logo <url|file>', 'https URL of the logo, or an image file to upload ("" removes it)')
    .option('--accent <#rrggbb>', 'accent colour of the top bar, links and buttons ("" for the default)')
    .option('--json', 'print the organisation as JSON')
    .action(async (o: { logo?: string; accent?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const org = await setMailBranding(ctx.deps, {
          ...(o.logo !== undefined && { logoUrl: o.logo === '' ? null : await urlOrFile(ctx, o.logo) }),
          ...(o.accent !== undefined && { accentColour: o.accent === '' ? null : o.accent }),
        });
        if (o.json) return printJson(org);
        console.log(`logo: ${org.logoUrl ?? '(none: the name is shown)'}\naccent colour: ${org.accentColour ?? '(default #1a56a6)'}`);
      });
    });

  const purpose = group(program, 'purpose', 'purposes');
  purpose
    .command('welcome')
    .description('the welcome mail sent once when a person confirms their sign-up for this purpose (Markdown)')
    .argument('<purpose>', 'purpose id')
    .option('--subject <text>', 'subject (Liquid, e.g. "Welkom {{ first_name | default: \\"\\" }}")')
    .option('--body-file <path>', 'the body in Markdown (Liquid variables as in campaigns)')
    .option('--lang <lang>', 'nl or en', 'nl')
    .option('--off', 'remove the welcome mail (in --lang when given, else in both languages)')
    .action(async (id: string, o: { subject?: string; bodyFile?: string; lang: string; off?: boolean }, cmd: Command) => {
      await withContext(async (ctx) => {
        const langGiven = cmd.getOptionValueSource('lang') === 'cli';
        if (!o.off && (!o.subject || !o.bodyFile)) throw new Error('give --subject and --body-file, or --off');
        const w = o.off
          ? await setWelcomeMail(ctx.deps, id, { off: true, ...(langGiven && { language: o.lang as 'nl' | 'en' }) })
          : await setWelcomeMail(ctx.deps, id, { language: o.lang, subject: o.subject!, body: readFileSync(o.bodyFile!, 'utf8') });
        const langs = Object.keys(w);
        console.log(langs.length ? `welcome mail of ${id}: ${langs.join(', ')}` : `no welcome mail for ${id}`);
      });
    });
  purpose
    .command('item')
    .description('what a download or service purpose delivers on sign-up (lead magnet): a link or an uploaded file')
    .argument('<purpose>', 'purpose id')
    .option('--url <url>', 'https URL of the item')
    .option('--file <path>', 'a file to upload and deliver')
    .option('--off', 'deliver no item (only the description)')
    .action(async (id: string, o: { url?: string; file?: string; off?: boolean }) => {
      await withContext(async (ctx) => {
        const url = o.off ? null : o.file ? await urlOrFile(ctx, o.file) : (o.url ?? null);
        if (!o.off && !url) throw new Error('give --url, --file or --off');
        await setPurposeItem(ctx.deps, id, url);
        console.log(url ? `${id} delivers ${url}` : `${id} delivers no item`);
      });
    });
}
