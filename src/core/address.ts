/**
 * The one address validator for forms, imports and the API (issue 4 point 3). Parsing follows RFC 5322 /
 * RFC 6532 through the `email-addresses` library; normalisation is ours:
 * - trim white space (also the non-breaking spaces spreadsheets add);
 * - Unicode compatibility normalisation (NFKC) of the whole address before parsing, as IDNA's UTS #46 mapping does
 *   for domains: `w@ＥＸＡＭＰＬＥ.com` (full-width, typed in a CJK input mode) or `jan＠example.com` is the address
 *   `w@example.com`, so an opt-out of one suppresses the other (Tw 11.7(3), GDPR 21(3));
 * - the whole address in lower case (mailbox providers treat local parts case-insensitively, and duplicates
 *   that differ in case must merge), plus-addressing kept as is;
 * - the domain in ASCII (IDN → punycode) as the key, shown in Unicode.
 * Refused: no `@`, more than one address, `user@localhost` and other domains without a dot, domains longer
 * than 253 or labels longer than 63 characters, local parts over 64 characters, and domains that are no host
 * name (RFC 5321 4.1.2, RFC 1035 2.3.1): a label with other characters than letters, digits and hyphens
 * (`ex_ample`; in an IDN label also punctuation and symbols such as the lookalike hyphen U+2010, which IDNA2008
 * (RFC 5892) disallows), starting or ending with a hyphen, a top-level label of one character or all digits (`a@1.2.3.4`
 * is an IP address without brackets), an `xn--` label that is no valid punycode. IDN labels are checked in their
 * ASCII (punycode) form. A quoted local part is accepted as an address but marked not marketable (bulk mail to it
 * is refused by the gate).
 */
import emailAddresses from 'email-addresses';
import punycode from 'punycode/punycode.js';
import roleBased from 'role-based-email-addresses';
import freeMail from 'email-providers/all.json' with { type: 'json' };

export interface NormalisedAddress {
  /** The key: lower case, ASCII domain. Stored in contacts.email and hashed for the suppression list. */
  address: string;
  /** The same with the domain in Unicode, for display. */
  display: string;
  local: string;
  /** ASCII (punycode) domain. */
  domain: string;
  /** info@, sales@ … */
  role: boolean;
  /** A free-mail provider's domain (gmail.com, hotmail.com, ziggo.nl …): most likely a private person. */
  freeMail: boolean;
  /** False for a quoted local part: valid, but not for bulk mail. */
  marketable: boolean;
}

export type AddressResult = { ok: true; value: NormalisedAddress } | { ok: false; error: string };

const ROLE = new Set<string>(roleBased as string[]);
const FREE = new Set<string>(freeMail as string[]);

/**
 * Validates and normalises one address.
 * @returns the normalised address, or an English error sentence naming what is wrong
 * @example normaliseAddress('  Jan.Jansen+nieuws@Bücher.Example ')
 *   // → { ok: true, value: { address: 'jan.jansen+nieuws@xn--bcher-kva.example', display: '…@bücher.example', … } }
 */
export function normaliseAddress(input: string): AddressResult {
  const raw = input.replace(/[\s\u00a0\u200b\ufeff]+$|^[\s\u00a0\u200b\ufeff]+/g, '');
  return plainAddress(raw) ?? parsedAddress(raw);
}

/**
 * The form of a stored address (the key: lower case, ASCII domain) to show a person: an internationalised domain
 * in Unicode (`jan@xn--bcher-kva.example` → `jan@bücher.example`); any other address as it is.
 * @example displayAddress('jdegroot@xn--bcher-kva.example') // → 'jdegroot@bücher.example'
 */
export function displayAddress(stored: string): string {
  const at = stored.lastIndexOf('@');
  const domain = stored.slice(at + 1);
  if (at < 0 || !/(^|\.)xn--/.test(domain)) return stored;
  try {
    return `${stored.slice(0, at + 1)}${punycode.toUnicode(domain)}`;
  } catch {
    return stored;
  }
}

/**
 * A plain ASCII address: dot-atom local part, host-name labels (letters, digits, hyphens inside) with at least one
 * dot, a top-level label of 2+ characters not all digits, no `xn--` label (those go through punycode), within
 * the length limits; anything else falls through to the full path, which names what is wrong. For these the full
 * path below gives exactly this result (the parser returns the parts as written, punycode leaves them alone; tested
 * on many addresses in address.test.ts); it takes well under a microsecond instead of ~25 µs, which matters for
 * imports of a million rows.
 */
const PLAIN =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?![0-9]+$)[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;

/** The fast path of `normaliseAddress` for a trimmed address. @returns null when the full path must decide */
export function plainAddress(raw: string): AddressResult | null {
  if (raw.length > 318 || !PLAIN.test(raw)) return null;
  const lower = raw.toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = lower.slice(0, at);
  const domain = lower.slice(at + 1);
  if (local.length > 64 || domain.length > 253 || domain.startsWith('xn--') || domain.includes('.xn--')) return null;
  const plus = local.indexOf('+');
  return {
    ok: true,
    value: {
      address: lower,
      display: lower,
      local,
      domain,
      role: ROLE.has(plus < 0 ? local : local.slice(0, plus)),
      freeMail: FREE.has(domain),
      marketable: true,
    },
  };
}

/** The full path of `normaliseAddress` (RFC 5322 / 6532 parser, IDN) for a trimmed address. */
export function parsedAddress(raw: string): AddressResult {
  if (raw === '') return { ok: false, error: 'the address is empty' };
  if (/[\r\n]/.test(raw)) return { ok: false, error: 'the address contains a line break' };
  // Control characters and invisible formatting (zero-width, soft hyphen, bidi overrides) make an address look
  // like another.
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(raw)) {
    return { ok: false, error: 'the address contains an invisible or control character' };
  }
  // The local part is normalised like the domain. The key is for matching the person, not for delivery: nobody
  // has a mailbox that differs from another only in full-width or ligature forms, but people (and their input
  // methods) do type them, and a missed match would let an opt-out fail. NFKC leaves plain ASCII as it is, so the
  // fast path and this one agree.
  const text = raw.normalize('NFKC');
  if (!text.includes('@')) return { ok: false, error: `"${raw}" has no @` };
  const parsed = emailAddresses.parseOneAddress({ input: text, rfc6532: true, rejectTLD: false });
  if (!parsed || parsed.type !== 'mailbox' || parsed.name) {
    return { ok: false, error: `"${raw}" is not one valid address` };
  }
  const quoted = /^"/.test(text);
  const local = parsed.local.toLowerCase();
  let unicodeDomain: string;
  let asciiDomain: string;
  try {
    // NFKC again: an `xn--` label may decode to compatibility forms too.
    unicodeDomain = punycode.toUnicode(parsed.domain.toLowerCase()).normalize('NFKC').toLowerCase();
    asciiDomain = punycode.toASCII(unicodeDomain);
  } catch {
    return { ok: false, error: `the domain of "${raw}" is not a valid internationalised domain name` };
  }
  if (!asciiDomain.includes('.')) return { ok: false, error: `the domain "${unicodeDomain}" has no dot` };
  if (asciiDomain.startsWith('[')) return { ok: false, error: 'address literals like user@[1.2.3.4] are not accepted' };
  if (asciiDomain.length > 253 || asciiDomain.split('.').some((l) => l.length === 0 || l.length > 63)) {
    return { ok: false, error: `the domain "${unicodeDomain}" is not a valid domain name` };
  }
  const hostError = hostNameProblem(parsed.domain.toLowerCase(), asciiDomain);
  if (hostError) return { ok: false, error: hostError };
  if (local.length > 64) return { ok: false, error: 'the part before the @ is longer than 64 characters' };
  // Outside ASCII only letters, marks and digits: a look-alike dash or dot (U+2010) would make a second address
  // that an opt-out of the real one does not match.
  const lookAlike = /[^\p{L}\p{M}\p{N}]/u.exec(local.replace(/[\x20-\x7e]/g, ''));
  if (!quoted && lookAlike) {
    return { ok: false, error: `the part before the @ contains "${lookAlike[0]}" (U+${lookAlike[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}), which only looks like a plain character` };
  }
  const localText = quoted ? JSON.stringify(local) : local;
  return {
    ok: true,
    value: {
      address: `${localText}@${asciiDomain}`,
      display: `${localText}@${unicodeDomain}`,
      local,
      domain: asciiDomain,
      role: ROLE.has(local.split('+')[0]!),
      freeMail: FREE.has(asciiDomain),
      marketable: !quoted,
    },
  };
}

/**
 * Why an address may not be signed up or imported for a purpose, or null when it may: a quoted local part
 * (`"jan jansen"@example.com`) is valid, but RFC 5321 4.1.2 says hosts SHOULD avoid defining such mailboxes and the
 * gate refuses bulk mail to it (ADDRESS_NOT_MARKETABLE), so forms and imports refuse it alike rather than storing a
 * contact or consent that can never be used.
 * @returns an English sentence, or null
 * @example notForMailings(normaliseAddress('"a b"@example.com').value) // → 'an address with a quoted local part ("…"@) cannot receive newsletters'
 */
export function notForMailings(a: Pick<NormalisedAddress, 'marketable'>): string | null {
  return a.marketable ? null : 'an address with a quoted local part ("…"@) cannot receive newsletters';
}

/** Letters, digits and hyphens, neither first nor last (RFC 1035 2.3.1; a leading digit is fine, RFC 1123 2.1). */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * A character an IDN label may not hold: IDNA2008 (RFC 5892) allows letters, combining marks and digits (plus the
 * ASCII hyphen); punctuation, symbols and look-alike dashes such as U+2010 would make a domain that looks like
 * another. Coarser than RFC 5892's tables, which is enough to refuse look-alikes with a clear message.
 */
const NOT_IDN_LETTER = /[^\p{L}\p{M}\p{Nd}-]/u;

/**
 * The host-name rules of RFC 5321 4.1.2 / RFC 1035 2.3.1 for a domain whose label lengths are already checked.
 * IDN labels are checked as punycode, and their Unicode form must not start or end with a hyphen either
 * (RFC 5891 4.2.3.1), since `-bücher` encodes to the harmless-looking `xn---bcher-4ya`.
 * @param written the domain as written, lower case (to see `xn--` labels before they are decoded)
 * @param ascii the same in ASCII (IDN labels as punycode), lower case
 * @returns an English sentence saying what is wrong, or null when it is a host name
 * @example hostNameProblem('ex_ample.com', 'ex_ample.com')
 *   // → 'the domain "ex_ample.com" has a label with a character other than letters, digits and hyphens ("ex_ample")'
 */
export function hostNameProblem(written: string, ascii: string): string | null {
  // An A-label must be what encoding its U-label gives, or the stored domain silently becomes another one
  // (punycode decodes 'xn--invalid-' to the plain 'invalid'); RFC 5891 5.4.
  for (const label of written.split(/[.\u3002\uff0e\uff61]/)) {
    if (label.startsWith('xn--') && punycode.toASCII(punycode.toUnicode(label)) !== label) {
      return `the domain "${written}" has a label that is not valid punycode ("${label}")`;
    }
  }
  const labels = ascii.split('.');
  for (const label of labels) {
    const shown = punycode.toUnicode(label);
    if (shown.startsWith('-')) return `the domain "${written}" has a label starting with a hyphen ("${shown}")`;
    if (shown.endsWith('-')) return `the domain "${written}" has a label ending with a hyphen ("${shown}")`;
    if (!LDH_LABEL.test(label)) {
      return `the domain "${written}" has a label with a character other than letters, digits and hyphens ("${shown}")`;
    }
    const odd = NOT_IDN_LETTER.exec(shown);
    if (odd) {
      const code = `U+${odd[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return `the domain "${written}" has a label with a character other than letters, digits and hyphens ("${shown}": "${odd[0]}" is ${code}` +
        `${odd[0] === '\u2010' || odd[0] === '\u2011' || odd[0] === '\u2212' ? ', not the hyphen -' : ''})`;
    }
  }
  const top = labels[labels.length - 1]!;
  if (/^[0-9]+$/.test(top)) {
    return `the domain "${written}" ends in a number: an IP address is not a domain name (top-level domain "${top}")`;
  }
  if (top.length < 2) return `the top-level domain "${top}" of "${written}" is shorter than 2 characters`;
  return null;
}
