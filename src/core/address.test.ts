import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseAddress, parsedAddress, plainAddress } from './address.js';

const trim = (s: string) => s.replace(/[\s\u00a0\u200b\ufeff]+$|^[\s\u00a0\u200b\ufeff]+/g, '');

/** Asserts that the fast path, where it answers, gives exactly the full path's result. @returns whether it answered */
function same(input: string): boolean {
  const raw = trim(input);
  const fast = plainAddress(raw);
  const full = parsedAddress(raw);
  assert.deepEqual(normaliseAddress(input), fast ?? full, JSON.stringify(input));
  if (fast) assert.deepEqual(fast, full, JSON.stringify(input));
  return fast !== null;
}

const HAND = [
  'jan@example.com', '  Jan.Jansen@Example.COM ', '\u00a0jan@example.nl\u200b', 'JAN+nieuws@Example.com', 'info@example.com',
  'Info+x@example.com', 'sales@example.org', 'noreply@example.com', '+x@example.com', 'a.b.c@sub.domain.example.co.uk',
  "o'brien@example.ie", 'x_y-z@ex-ample.com', 'weird!#$%&*/=?^`{|}~@example.com', 'a@b.c', 'jan@gmail.com', 'Jan@Hotmail.COM',
  'jan@ziggo.nl', 'user@localhost', 'user@example', 'user@-example-.com', 'user@ex_ample.com', 'user@a..b.com',
  'user@.example.com', 'user@example.com.', '.user@example.com', 'user.@example.com', 'us..er@example.com',
  '"quoted"@example.com', '"Quoted Name"@Example.com', 'Jan <jan@example.com>', 'jan@example.com, piet@example.com',
  'jan@@example.com', 'jan@', '@example.com', 'jan', '', '   ', 'jan@exa mple.com', 'jan @example.com', 'jan\n@example.com',
  'jan@bücher.example', 'Jan@BÜCHER.example', 'jan@xn--bcher-kva.example', 'jan@sub.xn--bcher-kva.example', 'jan@XN--BCHER-KVA.example',
  'jan@xn--invalid-.example', 'jöe@example.com', 'jan@[192.0.2.1]', 'jan(comment)@example.com', 'jan@example.com(comment)',
  `${'a'.repeat(64)}@example.com`, `${'a'.repeat(65)}@example.com`, `jan@${'a'.repeat(63)}.com`, `jan@${'a'.repeat(64)}.com`,
  `jan@${Array(63).fill('abc').join('.')}.com`, `jan@${Array(60).fill('abcd').join('.')}.com`, 'jan@1.2.3.4', 'jan@123.example',
  'JAN@EXAMPLE.COM', 'Jan.Jansen+Nieuws+Extra@Example.Com', 'a=b@example.com', 'test@example.museum', 'x@x.x',
  // Host-name rules (RFC 5321 4.1.2, RFC 1035 2.3.1): hyphens, underscores, short or numeric top-level labels.
  'a@-example.com', 'a@example-.com', 'a@sub.-example.com', 'a@example.-com', 'a@example.com-', 'a@ex_ample.com',
  'a@_dmarc.example.com', 'a@ex!ample.com', 'a@example.c', 'a@example.co', 'a@example.C', 'a@123.123.123.123',
  'a@example.123', 'a@example.1c', 'a@example.c1', 'a@1example.com', 'a@exa--mple.com', 'a@a.b.c.d.e.fg',
  `a@${'a'.repeat(62)}-.com`, `a@${'a'.repeat(62)}b.com`, `a@example.${'a'.repeat(63)}`, `a@example.${'a'.repeat(64)}`,
  'a@bü_cher.example', 'a@-bücher.example', 'a@bücher-.example', 'a@xn---bcher-4ya.example', 'a@bücher.e',
  'a@xn--p1ai.xn--p1ai', 'a@пример.рф', 'a@example.xn--p1ai', 'a@xn--abc.com',
  // Compatibility forms (NFKC): full-width letters, at sign and full stop, ligatures, look-alike hyphens.
  'w@ＥＸＡＭＰＬＥ.com', 'ｊａｎ@example.com', 'jan＠example.com', 'a@b．com', 'a@ﬁle.example', 'ﬁ@example.com',
  'a@ex\u2010ample.com', 'a@ex\u2011ample.com', 'a@ex😀.com', '＂q＂@example.com', 'a@ｂüｃｈｅｒ.example',
];

it('refuses domains that are no host name, saying why (RFC 5321 4.1.2, RFC 1035 2.3.1)', () => {
  const refused: Array<[string, RegExp]> = [
    ['a@-example.com', /starting with a hyphen \("-example"\)/],
    ['a@example-.com', /ending with a hyphen \("example-"\)/],
    ['a@ex_ample.com', /other than letters, digits and hyphens \("ex_ample"\)/],
    ['a@example.c', /top-level domain "c" .* shorter than 2 characters/],
    ['a@123.123.123.123', /ends in a number: an IP address is not a domain name/],
    ['a@example.123', /ends in a number/],
    ['a@-bücher.example', /starting with a hyphen \("-bücher"\)/],
    ['a@xn---bcher-4ya.example', /starting with a hyphen \("-bücher"\)/],
    ['a@bü_cher.example', /other than letters, digits and hyphens \("bü_cher"\)/],
    // Punycode would decode this to the plain label "invalid": a different domain, stored silently.
    ['a@xn--invalid-.example', /not valid punycode \("xn--invalid-"\)/],
  ];
  for (const [input, reason] of refused) {
    const r = normaliseAddress(input);
    assert.ok(!r.ok, `${input} refused`);
    assert.match(r.error, reason, input);
  }
  const kept: Array<[string, string]> = [
    ['Jan+Nieuws@Example.COM', 'jan+nieuws@example.com'],
    ['a@123.example', 'a@123.example'],
    ['a@exa--mple.com', 'a@exa--mple.com'],
    ['a@example.c1', 'a@example.c1'],
    ['a@Bücher.example', 'a@xn--bcher-kva.example'],
    ['a@пример.рф', 'a@xn--e1afmkfd.xn--p1ai'],
  ];
  for (const [input, address] of kept) {
    const r = normaliseAddress(input);
    assert.ok(r.ok, `${input}: ${r.ok ? '' : r.error}`);
    assert.equal(r.value.address, address);
  }
  const idn = normaliseAddress('a@xn--bcher-kva.example');
  assert.ok(idn.ok && idn.value.display === 'a@bücher.example');
  for (const still of ['user@localhost', 'user@example', 'jan@[192.0.2.1]']) assert.equal(normaliseAddress(still).ok, false, still);
  const quoted = normaliseAddress('"quoted"@example.com');
  assert.ok(quoted.ok && !quoted.value.marketable);
});

it('the fast path gives exactly the full path’s result on hand-picked addresses (valid, invalid, IDN, quoted, role, case)', () => {
  let fast = 0;
  for (const a of HAND) if (same(a)) fast++;
  assert.ok(fast >= 25, `fast path taken for ${fast} addresses`);
  assert.equal(plainAddress('jan@xn--bcher-kva.example'), null);
  assert.equal(plainAddress('"quoted"@example.com'), null);
  const r = normaliseAddress('  Info+x@Example.COM ');
  assert.ok(r.ok && r.value.role && r.value.address === 'info+x@example.com');
});

it('the fast path gives exactly the full path’s result on many generated addresses', () => {
  // A seeded generator, so a failure is reproducible.
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pick = (chars: string, min: number, max: number) => {
    let s = '';
    for (let i = min + rnd(max - min + 1); i > 0; i--) s += chars[rnd(chars.length)];
    return s;
  };
  const LOCAL = "abcXYZ019.._-+!#$%&'*/=?^`{|}~\"() ,;:<>[]\\@é";
  const DOMAIN = 'abcXYZ019.-_ü@[]';
  let fast = 0;
  for (let i = 0; i < 20000; i++) {
    const local = i % 3 === 0 ? pick('abcdefXYZ0123456789._+-', 1, 20) : pick(LOCAL, 0, 12);
    // Mostly host names (letters and digits at the ends of a label), now and then any shape, else noise.
    const host = () => `${pick('abcxyz019', 1, 1)}${pick('abcxyz019-', 0, 8)}${pick('abcxyz019', 1, 1)}`;
    const shaped = i % 10 === 0 ? `${pick('abcxyz019-', 1, 10)}.${pick('abcxyz019-', 1, 4)}` : `${host()}.${host()}`;
    const domain = i % 2 === 0 ? shaped : pick(DOMAIN, 0, 14);
    const sp = i % 7 === 0 ? ' ' : '';
    if (same(`${sp}${local}@${domain}${sp}`)) fast++;
  }
  assert.ok(fast > 3000, `fast path taken for ${fast} generated addresses`);
  // Host-name edge cases: hyphens at either end of a label, underscores, short or numeric top-level labels, IDN.
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    const label = () => `${['-', '', ''][rnd(3)]}${pick('ab09-_', 0, 3)}${['-', '', ''][rnd(3)]}`;
    const top = [pick('0123456789', 1, 4), pick('abc', 1, 1), pick('abc1-', 2, 4), 'xn--p1ai', 'bü'][rnd(5)]!;
    const domain = `${pick('abü', 1, 3)}${label()}${pick('ab', 0, 2)}.${rnd(2) ? `${label()}.` : ''}${top}`;
    same(`jan@${domain}`);
    if (!normaliseAddress(`jan@${domain}`).ok) refused++;
  }
  assert.ok(refused > 1000 && refused < 4500, `${refused} of 5000 edge-case domains refused`);
});

it('the fast path gives exactly the full path’s result on the fixtures’ addresses', () => {
  const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.csv')) files.push(join(dir, e.name));
    }
  };
  walk(fixtures);
  const shared = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
  try {
    for (const f of readdirSync(shared)) if (f.endsWith('.csv')) files.push(join(shared, f));
  } catch {
    // The shared fixtures are optional here.
  }
  let n = 0;
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    for (const m of text.matchAll(/[^\s,;"<>]*@[^\s,;"<>]*/g)) {
      same(m[0]);
      n++;
    }
  }
  assert.ok(n > 20, `${n} addresses from ${files.length} files`);
});

it('refuses invisible and control characters that make an address look like another', () => {
  for (const bad of ['jan\u202e@example.nl', 'ja\u200bn@example.nl', 'jan@exa\u0001mple.nl', 'sh\u00ad2@example.nl', 'jan\u2060@example.nl']) {
    const r = normaliseAddress(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
  }
});

it('refuses look-alike punctuation in the part before the @ (an opt-out of the real address would not match it); letters of any script stay', () => {
  for (const input of ['ab\u20101@example.com', 'ab\u22121@example.com', 'jan\u2019s@example.com']) {
    const r = normaliseAddress(input);
    assert.ok(!r.ok, input);
    assert.match(r.error, /^the part before the @ contains ".+" \(U\+[0-9A-F]{4}\), which only looks like a plain character$/);
  }
  for (const [input, address] of [['jöran@example.com', 'jöran@example.com'], ['名前@例え.jp', '名前@xn--r8jz45g.jp'], ['x\u2024y@example.com', 'x.y@example.com']]) {
    const r = normaliseAddress(input!);
    assert.ok(r.ok, input);
    assert.equal(r.value.address, address);
  }
});

it('maps compatibility characters (NFKC, as UTS #46 does for domains), so look-alike spellings are one address', () => {
  const same: Array<[string, string]> = [
    ['w@ＥＸＡＭＰＬＥ.com', 'w@example.com'],
    ['Ｗ@example.com', 'w@example.com'],
    ['jan＠example.com', 'jan@example.com'],
    ['a@b．example', 'a@b.example'],
    ['a@ﬁle.example', 'a@file.example'],
    ['a@ｂüｃｈｅｒ.example', 'a@xn--bcher-kva.example'],
  ];
  for (const [input, address] of same) {
    const r = normaliseAddress(input);
    assert.ok(r.ok, `${input}: ${r.ok ? '' : r.error}`);
    assert.equal(r.value.address, address, input);
  }
  // The full-width spelling gives the very record the fast path gives the plain one (same suppression key).
  assert.deepEqual(parsedAddress('w@ＥＸＡＭＰＬＥ.com'), plainAddress('w@example.com'));
  // A look-alike hyphen is not mapped (NFKC keeps U+2010; U+2011 becomes it): refused, naming the character.
  for (const input of ['a@ex\u2010ample.com', 'a@ex\u2011ample.com']) {
    const r = normaliseAddress(input);
    assert.ok(!r.ok, input);
    assert.match(r.error, /"ex\u2010ample": "\u2010" is U\+2010, not the hyphen -/);
  }
  const emoji = normaliseAddress('a@ex😀.com');
  assert.ok(!emoji.ok && /U\+1F600/.test(emoji.error));
});
