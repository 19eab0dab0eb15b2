/**
 * The stylesheet of the public pages, served from one path so that the Content-Security-Policy needs no inline
 * styles and no scripts at all. Plain, readable and accessible: system fonts, strong contrast, visible focus.
 */

/** Where the stylesheet is served. */
export const STYLESHEET_PATH = '/assets/site.css';

/** The stylesheet text. */
export const STYLESHEET = `
:root {
  --ink: #1c2733; --muted: #4f5d6b; --line: #d8dee4; --bg: #f4f1ec; --card: #ffffff;
  --accent: #0b5d7a; --accent-dark: #084a61; --error: #b3261e; --error-bg: #fdecea; --ok: #1e6b3a; --ok-bg: #e8f4ec;
  --focus: #f2a900; --on-accent: #fff;
}
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1.0625rem; line-height: 1.6;
}
.wrap { max-width: 40rem; margin: 0 auto; padding: 0 1.25rem; }
.top { background: var(--card); border-bottom: 1px solid var(--line); }
.top .wrap { display: flex; align-items: center; justify-content: space-between; min-height: 3.5rem; gap: 1rem; }
.brand { font-weight: 700; letter-spacing: .01em; }
.lang { font-size: .95rem; color: var(--muted); white-space: nowrap; }
.lang a, .lang span[aria-current] { padding: .25rem .35rem; }
.lang span[aria-current] { font-weight: 700; color: var(--ink); }
main.wrap { padding-top: 2rem; padding-bottom: 2rem; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 1.75rem 1.75rem 1.5rem; box-shadow: 0 1px 2px rgba(28, 39, 51, .05);
}
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .4rem; }
p { margin: 0 0 1rem; }
a { color: var(--link, var(--accent)); text-underline-offset: .15em; }
a:hover { color: var(--accent-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.lead { font-size: 1.125rem; color: var(--muted); }
.muted { color: var(--muted); font-size: .95rem; }
.field { margin: 0 0 1.25rem; }
label { display: block; font-weight: 600; margin-bottom: .35rem; }
.optional { font-weight: 400; color: var(--muted); }
input[type=email], input[type=text] {
  width: 100%; font: inherit; padding: .65rem .75rem; border: 1px solid #9aa6b2; border-radius: 6px; background: #fff; color: var(--ink);
}
input[type=email] + button, input[type=text] + button, input[type=text] + label { margin-top: 1rem; }
input[aria-invalid=true] { border-color: var(--error); box-shadow: 0 0 0 1px var(--error); }
fieldset { border: 0; margin: 0 0 1.25rem; padding: 0; }
legend { font-weight: 600; margin-bottom: .5rem; padding: 0; }
.choice { display: flex; gap: .75rem; align-items: flex-start; padding: .75rem .85rem; border: 1px solid var(--line); border-radius: 6px; margin-bottom: .5rem; background: #fbfaf8; }
.choice input { width: 1.25rem; height: 1.25rem; margin: .2rem 0 0; flex: none; accent-color: var(--accent); }
.choice label { font-weight: 400; margin: 0; }
.hint { display: block; color: var(--muted); font-size: .9rem; }
.error-text { color: var(--error); font-weight: 600; margin: .35rem 0 0; font-size: .95rem; }
.alert { border-left: 4px solid var(--error); background: var(--error-bg); padding: .75rem 1rem; border-radius: 4px; margin-bottom: 1.25rem; }
.success { border-left: 4px solid var(--ok); background: var(--ok-bg); padding: .75rem 1rem; border-radius: 4px; margin-bottom: 1.25rem; }
.sender { border-top: 1px solid var(--line); padding-top: 1rem; margin-top: 1.25rem; font-size: .95rem; color: var(--muted); }
.notice-link { font-size: .95rem; }
.actions { display: flex; flex-direction: column; gap: .75rem; margin-top: 1.25rem; }
.actions form { margin: 0; }
button {
  font: inherit; font-weight: 600; cursor: pointer; border-radius: 6px; padding: .75rem 1.25rem; min-height: 2.75rem;
  border: 2px solid var(--accent); background: var(--accent); color: var(--on-accent); width: 100%;
}
button:hover { background: var(--accent-dark); border-color: var(--accent-dark); }
button.secondary { background: #fff; color: var(--accent); }
button.secondary:hover { background: #eef5f8; }
@media (max-width: 34rem) { .wrap { padding: 0 .75rem; } .card { padding: 1.25rem 1.1rem 1rem; } h1 { font-size: 1.45rem; } }
@media (min-width: 34rem) { button { width: auto; } .actions { flex-direction: row; flex-wrap: wrap; } }
.notice h2 { border-top: 1px solid var(--line); padding-top: 1.25rem; }
.notice p { white-space: pre-line; }
.notice .meta { color: var(--muted); font-size: .95rem; }
ul.links { padding-left: 1.2rem; }
.foot { color: var(--muted); font-size: .9rem; padding-top: .5rem; padding-bottom: 2.5rem; }
.foot p { margin: 0 0 .35rem; }
code { background: #ece8e1; padding: .1rem .35rem; border-radius: 4px; font-size: .95em; }
/* The honeypot field: off-screen for people (its label asks screen-reader users to leave it empty). */
.top .logo { display: block; max-height: 2.5rem; max-width: 12rem; width: auto; height: auto; }
.hp { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
`;

/** Where the stylesheet for one accent colour is served: `/assets/accent/<rrggbb>.css` (lower case, no #). */
export const accentStylesheetPath = (colour: string): string => `/assets/accent/${colour.replace(/^#/, '').toLowerCase()}.css`;

/** Whether a value is a colour `#rrggbb`, as forms and the organisation store it. */
export const isAccentColour = (v: unknown): v is string => typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v);

/**
 * The stylesheet that gives the public pages one accent colour (a form's own, SCENARIOS: forms' appearance): it
 * sets the custom properties the site stylesheet reads, with a darker shade for hover and the text colour on it
 * (white or ink, whichever contrasts more, WCAG 2.1 relative luminance). Served from our own origin so the
 * Content-Security-Policy needs no inline style.
 * @param hex six hexadecimal digits without '#', e.g. '1a56a6'
 * @returns the CSS text, or null when `hex` is not six hexadecimal digits
 * @example accentStylesheet('1a56a6') // ':root { --accent: #1a56a6; --accent-dark: #154585; --on-accent: #fff; --link: #1a56a6; }'
 */
export function accentStylesheet(hex: string): string | null {
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) return null;
  const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const dark = rgb.map((c) => Math.round(c * 0.8).toString(16).padStart(2, '0')).join('');
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * lin(rgb[0]!) + 0.7152 * lin(rgb[1]!) + 0.0722 * lin(rgb[2]!);
  // Contrast with white (1.05 / (L + .05)) against contrast with the ink #1c2733 (L ≈ 0.019).
  const onAccent = 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.069 ? '#fff' : '#1c2733';
  // A light accent is too pale for link text on white: links then take the ink colour.
  const link = onAccent === '#fff' ? `#${hex.toLowerCase()}` : '#1c2733';
  return `:root { --accent: #${hex.toLowerCase()}; --accent-dark: #${dark}; --on-accent: ${onAccent}; --link: ${link}; }\n`;
}
