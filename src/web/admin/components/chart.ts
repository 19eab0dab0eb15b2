/**
 * A server-rendered SVG chart of values over time (no script, no inline style: colours come from the
 * stylesheet's `svg.chart` rules). One series is drawn as bars, several as lines with a legend. The numbers are
 * also given as a table in a <details> under the chart, for screen readers and for reading exact values.
 */
import { html, raw, type SafeHtml } from '../../html.js';
import { table } from '../components.js';
import type { AdminCtx } from '../context.js';

export interface ChartSeries {
  /** The series' name (legend and table heading). */
  name: string;
  /** One value per label, ≥ 0. */
  values: readonly number[];
}

export interface TimeChartSpec {
  /** What the chart shows (the SVG's accessible name). */
  title: string;
  /** One label per point, oldest first, e.g. "2026-11-30 11:00" or "2026-11-30". */
  labels: readonly string[];
  /** One series (bars) or up to four (lines). */
  series: readonly ChartSeries[];
  /** The heading of the labels' column in the table of numbers, e.g. "Hour". */
  labelHeading: string;
  /** The <summary> of the table of numbers, e.g. "Show the numbers". */
  numbersLabel: string;
}

const W = 640;
const H = 240;
const LEFT = 48;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 34;

/** The smallest 1, 2 or 5 × 10^k at or above `n` (at least 1), so the axis shows round numbers. */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const num = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * An SVG chart of `series` over `labels` with its table of numbers; nothing when there are no labels.
 * @example timeChart(a, { title: 'Sent per hour', labels: ['2026-11-30 11:00'], series: [{ name: 'Sent', values: [3] }], labelHeading: 'Hour', numbersLabel: 'Numbers' })
 */
export function timeChart(a: AdminCtx, spec: TimeChartSpec): SafeHtml | string {
  const n = spec.labels.length;
  if (n === 0) return '';
  const max = niceMax(Math.max(0, ...spec.series.flatMap((s) => s.values)));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const step = plotW / n;
  const x = (i: number) => LEFT + step * i + step / 2;
  const grid = [0, max / 2, max].map(
    (v) => html`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${num(y(v))}" y2="${num(y(v))}"/><text x="${LEFT - 6}" y="${num(y(v) + 4)}" text-anchor="end">${num(v)}</text>`,
  );
  const shown = n <= 2 ? [...Array(n).keys()] : [0, Math.floor((n - 1) / 2), n - 1];
  const xLabels = shown.map((i) => {
    const anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    const at = anchor === 'start' ? LEFT : anchor === 'end' ? W - RIGHT : x(i);
    return html`<text x="${num(at)}" y="${H - 10}" text-anchor="${anchor}">${spec.labels[i]}</text>`;
  });
  let marks: SafeHtml[];
  if (spec.series.length === 1) {
    const barW = Math.min(40, Math.max(1, step * 0.8));
    const s = spec.series[0]!;
    marks = s.values.map(
      (v, i) => html`<rect class="s0" x="${num(x(i) - barW / 2)}" y="${num(y(v))}" width="${num(barW)}" height="${num(TOP + plotH - y(v))}"><title>${spec.labels[i]}: ${v}</title></rect>`,
    );
  } else {
    marks = spec.series.map((s, k) => {
      const points = s.values.map((v, i) => `${num(x(i))},${num(y(v))}`).join(' ');
      return n === 1
        ? html`<circle class="line s${k}" cx="${num(x(0))}" cy="${num(y(s.values[0] ?? 0))}" r="4"/>`
        : html`<polyline class="line s${k}" points="${points}"/>`;
    });
  }
  const legend =
    spec.series.length > 1
      ? html`<ul class="chart-legend">${spec.series.map((s, k) => html`<li><span class="swatch s${k}" aria-hidden="true"></span>${s.name}</li>`)}</ul>`
      : '';
  const numbers = table(
    a,
    [{ label: spec.labelHeading }, ...spec.series.map((s) => ({ label: s.name, num: true }))],
    spec.labels.map((l, i) => [l, ...spec.series.map((s) => s.values[i] ?? 0)]),
  );
  return html`<figure class="chart">
<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${spec.title}" xmlns="http://www.w3.org/2000/svg">
<title>${spec.title}</title>
${grid}
${marks}
${xLabels}
${raw(`<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}"/>`)}
</svg>
${legend}
<details><summary>${spec.numbersLabel}</summary>${numbers}</details>
</figure>`;
}
