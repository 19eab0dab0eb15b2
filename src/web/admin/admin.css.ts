/**
 * The admin app's stylesheet, served from our own origin (no CDN, no inline styles, so the CSP stays strict).
 * Plain and responsive: a sidebar from 60rem up, a fold-out menu below (a <details>, no script), tables that
 * scroll sideways on a phone, visible focus, strong contrast. Same palette as the public pages.
 */

/** Where the stylesheet is served. */
export const ADMIN_STYLESHEET_PATH = '/admin/assets/admin.css';

export const ADMIN_STYLESHEET = `
:root {
  --ink: #1c2733; --muted: #4f5d6b; --line: #d8dee4; --bg: #f4f1ec; --card: #fff; --side: #1f2d3a; --side-ink: #dbe3ea;
  --accent: #0b5d7a; --accent-dark: #084a61; --error: #b3261e; --error-bg: #fdecea; --ok: #1e6b3a; --ok-bg: #e8f4ec;
  --warn: #7a4b00; --warn-bg: #fff4d6; --focus: #f2a900;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-underline-offset: .15em; }
a:hover { color: var(--accent-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }

.bar { background: var(--side); color: #fff; display: flex; align-items: center; gap: 1rem; padding: .5rem 1rem; flex-wrap: wrap; }
.bar .brand { font-weight: 700; color: #fff; text-decoration: none; margin-right: auto; }
.bar form { margin: 0; display: inline; }
.bar .who { color: var(--side-ink); font-size: .9rem; }
.bar .who a { color: #fff; }
.bar button.link { color: #fff; }
.lang-switch button { background: transparent; border: 1px solid #5d7180; color: #fff; padding: .15rem .5rem; min-height: 0; font-size: .85rem; border-radius: 4px; }
.lang-switch button[aria-pressed=true] { background: #fff; color: var(--side); font-weight: 700; }

.shell { display: flex; min-height: calc(100vh - 3rem); }
nav.side { flex: 0 0 15rem; background: var(--card); border-right: 1px solid var(--line); padding: 1rem 0; }
nav.side ul, .menu ul { list-style: none; margin: 0; padding: 0; }
nav.side a, .menu a { display: block; padding: .45rem 1.25rem; color: var(--ink); text-decoration: none; border-left: 4px solid transparent; }
nav.side a:hover, .menu a:hover { background: #eef3f6; }
nav.side a[aria-current=page], .menu a[aria-current=page] { border-left-color: var(--accent); background: #e6f0f4; font-weight: 600; }
.menu { display: none; background: var(--card); border-bottom: 1px solid var(--line); }
.menu summary { padding: .6rem 1rem; font-weight: 600; cursor: pointer; }
main { flex: 1; min-width: 0; padding: 1.5rem 2rem 3rem; max-width: 72rem; }
@media (max-width: 60rem) {
  .shell { display: block; }
  nav.side { display: none; }
  .menu { display: block; }
  main { padding: 1rem .85rem 2.5rem; }
  .bar .who .email { display: none; }
}

h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .6rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
.card > :first-child, .card > form > :first-child { margin-top: 0; }
.card > :last-child { margin-bottom: 0; }
.narrow { max-width: 32rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
.stat { font-size: 1.8rem; font-weight: 700; }
.grid.stats { grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; margin-bottom: 1.25rem; }
.grid.stats .card { padding: .75rem 1rem; margin: 0; min-width: 0; }
.grid.stats .label { font-size: .9rem; hyphens: auto; }

.flash, .ok-note { border-left: 4px solid var(--ok); background: var(--ok-bg); padding: .65rem 1rem; border-radius: 4px; margin-bottom: 1rem; }
.alert { border-left: 4px solid var(--error); background: var(--error-bg); padding: .65rem 1rem; border-radius: 4px; margin-bottom: 1rem; }
.warning > :first-child, .alert > :first-child { margin-top: 0; }
.warning > :last-child, .alert > :last-child { margin-bottom: 0; }
.warning { border-left: 4px solid #c78a00; background: var(--warn-bg); color: var(--warn); padding: .65rem 1rem; border-radius: 4px; margin-bottom: 1rem; }

.field { margin: 0 0 1rem; }
label, .label { display: block; font-weight: 600; margin-bottom: .3rem; }
.hint { display: block; color: var(--muted); font-size: .9rem; font-weight: 400; }
.subset { display: block; padding-left: 1.25rem; }
.nowrap { white-space: nowrap; }
img.thumb { max-width: 64px; max-height: 64px; height: auto; border: 1px solid var(--line); }
input.copy-url { width: 24rem; max-width: 100%; box-sizing: border-box; font-family: monospace; font-size: .85rem; }
input[type=text], input[type=email], input[type=password], input[type=url], input[type=number], input[type=search], input[type=date], input[type=time], select, textarea {
  width: 100%; max-width: 36rem; font: inherit; padding: .5rem .65rem; border: 1px solid #9aa6b2; border-radius: 6px; background: #fff; color: var(--ink);
}
textarea { min-height: 8rem; }
[aria-invalid=true] { border-color: var(--error); box-shadow: 0 0 0 1px var(--error); }
.error-text { color: var(--error); font-weight: 600; margin: .3rem 0 0; font-size: .95rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
fieldset.plain { border: 0; margin: 0; padding: 0; min-width: 0; }
.check { display: flex; gap: .5rem; align-items: center; font-weight: 400; }

button, .button {
  display: inline-block; font: inherit; font-weight: 600; cursor: pointer; border-radius: 6px; padding: .5rem 1rem; min-height: 2.5rem;
  border: 2px solid var(--accent); background: var(--accent); color: #fff; text-decoration: none; line-height: 1.3;
}
button:hover, .button:hover { background: var(--accent-dark); border-color: var(--accent-dark); color: #fff; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.secondary:hover { background: #eef5f8; color: var(--accent-dark); }
button.danger { background: var(--error); border-color: var(--error); }
button.link { background: none; border: 0; padding: 0; min-height: 0; color: var(--accent); text-decoration: underline; font-weight: 400; }
.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; gap: 0; } dl.facts dd { margin-bottom: .5rem; } }
pre.snippet { background: #ece8e1; padding: .75rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin-top: 1rem; }
.actions form { margin: 0; }

.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .55rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
/* Headings wrap between words (a long one must not make the table wider than the page); cells break long codes. */
th { background: #f7f8fa; font-size: .9rem; color: var(--muted); hyphens: auto; }
td { overflow-wrap: anywhere; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
/* The import report's nine counts: a long file name breaks in lines of at least 12rem, not letter by letter. */
@media (min-width: 40rem) {
  .import-counts th, .import-counts td { padding-left: .45rem; padding-right: .45rem; }
  .import-counts th { font-size: .82rem; }
  .import-counts td:first-child { min-width: 10rem; }
}
/* Phones: each row becomes a small card of "label: value" lines. */
@media (max-width: 40rem) {
  table.stack thead { display: none; }
  table.stack tr { display: block; padding: .5rem 0; border-bottom: 1px solid var(--line); }
  table.stack tr:last-child { border-bottom: 0; }
  table.stack td { display: flex; gap: .75rem; border: 0; padding: .2rem .8rem; text-align: left; overflow-wrap: anywhere; min-width: 0; }
  table.stack td::before { content: attr(data-label); flex: 0 0 40%; color: var(--muted); font-size: .9rem; }
  table.stack td:empty { display: none; }
}
.pager { display: flex; gap: 1rem; justify-content: space-between; }
code, .code { background: #ece8e1; padding: .1rem .35rem; border-radius: 4px; font-size: .92em; overflow-wrap: anywhere; }
.small, code.small { font-size: .8em; }
ul.groups { margin: .25rem 0 1rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; background: #e6edf2; font-size: .85rem; }
.badge.good { background: var(--ok-bg); color: var(--ok); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--error); color: #fff; font-weight: 600; }
strong.overdue { color: var(--error); }
nav.tabs ul { list-style: none; margin: 0 0 1.25rem; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; border-bottom: 1px solid var(--line); }
nav.tabs a { display: inline-block; padding: .4rem 0; text-decoration: none; border-bottom: 3px solid transparent; }
nav.tabs a[aria-current=page] { border-bottom-color: var(--accent); font-weight: 600; color: var(--ink); }
svg.chart { width: 100%; height: auto; max-width: 48rem; }
figure.chart { margin: 0 0 1rem; }
progress { display: block; width: 100%; max-width: 32rem; height: .8rem; margin: 0 0 1rem; accent-color: var(--accent); }
svg.chart text { fill: var(--muted); font-size: 16px; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart rect.s0 { fill: var(--accent); }
svg.chart .line { fill: none; stroke-width: 2.5; }
svg.chart .line.s0 { stroke: var(--accent); } svg.chart .line.s1 { stroke: #c78a00; } svg.chart .line.s2 { stroke: var(--ok); } svg.chart .line.s3 { stroke: var(--error); }
.chart-legend { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
.chart-legend .swatch { display: inline-block; width: .9rem; height: .25rem; margin-right: .35rem; vertical-align: middle; background: var(--accent); }
.chart-legend .swatch.s1 { background: #c78a00; } .chart-legend .swatch.s2 { background: var(--ok); } .chart-legend .swatch.s3 { background: var(--error); }
svg.chart .line.s1 { stroke-dasharray: 8 5; } svg.chart .line.s2 { stroke-dasharray: 2 4; } svg.chart .line.s3 { stroke-dasharray: 12 4 2 4; }
.chart-legend .swatch.s1 { background: none; border-top: 3px dashed #c78a00; height: 0; } .chart-legend .swatch.s2 { background: none; border-top: 3px dotted var(--ok); height: 0; }
.warnings { overflow-wrap: anywhere; }
.break { overflow-wrap: anywhere; }
.warnings li { margin-bottom: .5rem; }
/* Campaign editor: a tall monospace body, and the mail preview at a fixed width that scrolls inside its box. */
/* The welcome mail's bodies (purpose page): Markdown too, a little shorter. */
.welcome-lang textarea { min-height: 14rem; max-width: 48rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92rem; }
.welcome-lang + .welcome-lang { border-top: 1px solid var(--line); margin-top: 1.25rem; padding-top: .25rem; }
textarea#body { min-height: 22rem; max-width: 48rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92rem; }
.preview-frame { overflow-x: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 8px; background: #f3f4f6; margin-bottom: 1rem; }
.preview-frame iframe { display: block; border: 0; height: 56rem; background: #fff; }
.preview-frame iframe.desktop { width: 800px; }
.preview-frame iframe.phone { width: 390px; }
.preview-width .check { display: inline-flex; margin-right: 1rem; }
/* The width radios switch the frame at once, without script and without losing what was typed. */
.preview:has(.preview-width input[value=desktop]:checked) .preview-frame iframe { width: 800px; }
.preview:has(.preview-width input[value=phone]:checked) .preview-frame iframe { width: 390px; }
`;
