/**
 * The organisation's look in mail: the logo at the top of every message and the accent colour of the top bar,
 * links and buttons (mail/layout.ts). Kept with the identity in the `organisation` setting; not part of the
 * privacy notice, so changing it makes no new notice version.
 */
import { organisationSchema, type Organisation } from '../../core/organisation.js';
import { getOrganisation, putOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, issueCode } from '../errors.js';
import { addMedia, isImageType, mediaTypeOf, type MediaDeps } from './media.js';

export interface BrandingInput {
  /** https URL of the logo (http only for this server's own media on localhost); null removes it. */
  logoUrl?: string | null;
  /** `#rrggbb`; null goes back to the default. */
  accentColour?: string | null;
}

/**
 * Sets the logo and/or accent colour of mail; an absent field keeps its value.
 * @returns the organisation as stored
 * @throws DomainError invalid on `logoUrl` (not https) or `accentColour` (not #rrggbb); unavailable before init
 */
export async function setMailBranding(deps: Data & Pick<Deps, 'baseUrl'>, input: BrandingInput): Promise<Organisation> {
  const org = await checkBranding(deps, input);
  await putOrganisation(deps.db, org);
  return org;
}

/** The organisation with the branding applied and checked, not stored. */
async function checkBranding(deps: Data & Pick<Deps, 'baseUrl'>, input: BrandingInput): Promise<Organisation> {
  const org = await getOrganisation(deps.db);
  if (!org) throw new DomainError('unavailable', 'the organisation is not set up: run `consentry init` first', undefined, 'no-identity');
  const next: Organisation = { ...org };
  if (input.logoUrl !== undefined) {
    if (input.logoUrl === null || input.logoUrl === '') delete next.logoUrl;
    else {
      const own = input.logoUrl.startsWith(`${deps.baseUrl}/media/`);
      if (!input.logoUrl.startsWith('https://') && !own) throw invalid('logoUrl', 'logoUrl: the logo must be an https:// URL (or a file added with `consentry media add`)', 'logo-not-https');
      next.logoUrl = input.logoUrl;
    }
  }
  if (input.accentColour !== undefined) {
    if (input.accentColour === null || input.accentColour === '') delete next.accentColour;
    else next.accentColour = input.accentColour;
  }
  const parsed = organisationSchema.safeParse(next);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.join('.') || 'organisation';
    throw invalid(field, `${field}: ${i.message}`, issueCode(i));
  }
  return parsed.data;
}

/**
 * Uploads an image (the media service's rules: PNG, JPEG, GIF or WebP here, at most 20 MB) and makes it the logo,
 * setting the accent colour in the same step when given (checked before the file is stored).
 * @returns the organisation as stored
 * @throws DomainError invalid on `logoFile` (empty, too large, not an image) or `accentColour`; unavailable before init
 */
export async function setMailLogoUpload(
  deps: MediaDeps,
  input: { logoFile: { fileName: string; data: Buffer }; accentColour?: string | null },
): Promise<Organisation> {
  const { logoFile, ...rest } = input;
  if (rest.accentColour !== undefined) await checkBranding(deps, rest);
  const type = mediaTypeOf(logoFile.data, logoFile.fileName);
  if (logoFile.data.length > 0 && (!type || !isImageType(type))) throw invalid('logoFile', 'logoFile: the logo must be a PNG, JPEG, GIF or WebP image', 'logo-not-image');
  let url: string;
  try {
    url = (await addMedia(deps, logoFile)).url;
  } catch (err) {
    if (err instanceof DomainError && err.field === 'file') throw new DomainError(err.kind, err.message.replace(/^file:/, 'logoFile:'), 'logoFile', err.code, err.params);
    throw err;
  }
  return setMailBranding(deps, { ...rest, logoUrl: url });
}
