import { escapeHtml } from './escape-html.js';
import { formatCount } from './format-number.js';

/** One series of a {@link svgBarChart}: a name, a colour and a value per category. */
export interface BarSeries {
  readonly name: string;
  readonly color: string;
  /** Values in the order of the chart's categories; `undefined` draws no bar. */
  readonly values: readonly (number | undefined)[];
}

/** Options of {@link svgBarChart}. */
export interface BarChartOptions {
  /** Accessible title (also the `aria-label`). Required. */
  readonly title: string;
  /** Category labels, one row each. Required. */
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Chart width in px. Default: 760. */
  readonly width?: number;
  /** Formats a value label. Default: {@link formatCount}. */
  readonly format?: (v: number) => string;
  /** A vertical marker per category (e.g. bits needed), drawn as a dark tick. Default: none. */
  readonly markers?: readonly (number | undefined)[];
  /** Name of the markers in the legend. Default: `marker`. */
  readonly markerName?: string;
}

/**
 * A horizontal grouped bar chart as inline SVG: one row per category, one bar per series, each
 * bar a `rect.bar` carrying `data-category`, `data-series` and `data-value` so tests can read the
 * numbers back. No script, no external resource.
 */
export function svgBarChart(o: BarChartOptions): string {
  const width = o.width ?? 760;
  const fmt = o.format ?? formatCount;
  const labelW = 150;
  const valueW = 70;
  const barH = 12;
  const gap = 8;
  const top = 26;
  const rowH = o.series.length * barH + gap;
  const height = top + o.categories.length * rowH + 8;
  const max = Math.max(1, ...o.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)), ...(o.markers ?? []).filter((v): v is number => v !== undefined));
  const plotW = width - labelW - valueW;
  const x = (v: number) => Math.max(0, (v / max) * plotW);
  const parts: string[] = [];
  let lx = labelW;
  for (const s of o.series) {
    parts.push(`<rect x="${lx}" y="6" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="15" class="legend">${escapeHtml(s.name)}</text>`);
    lx += 24 + s.name.length * 7;
  }
  if (o.markers !== undefined) parts.push(`<rect x="${lx}" y="4" width="3" height="14" fill="#111"/><text x="${lx + 8}" y="15" class="legend">${escapeHtml(o.markerName ?? 'marker')}</text>`);
  o.categories.forEach((cat, i) => {
    const y0 = top + i * rowH;
    parts.push(`<text x="${labelW - 6}" y="${y0 + (o.series.length * barH) / 2 + 4}" text-anchor="end" class="cat">${escapeHtml(cat)}</text>`);
    o.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === undefined) return;
      const y = y0 + j * barH;
      parts.push(
        `<rect class="bar" x="${labelW}" y="${y}" width="${x(v).toFixed(1)}" height="${barH - 2}" fill="${s.color}" data-category="${escapeHtml(cat)}" data-series="${escapeHtml(s.name)}" data-value="${v}"><title>${escapeHtml(`${cat} · ${s.name}: ${v}`)}</title></rect>`,
        `<text x="${(labelW + x(v) + 4).toFixed(1)}" y="${y + barH - 3}" class="val">${escapeHtml(fmt(v))}</text>`,
      );
    });
    const m = o.markers?.[i];
    if (m !== undefined) parts.push(`<rect class="marker" x="${(labelW + x(m) - 1).toFixed(1)}" y="${y0 - 2}" width="3" height="${o.series.length * barH + 2}" fill="#111" data-category="${escapeHtml(cat)}" data-value="${m}"><title>${escapeHtml(`${cat} · ${o.markerName ?? 'marker'}: ${m}`)}</title></rect>`);
  });
  return `<svg class="chart" role="img" aria-label="${escapeHtml(o.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(o.title)}</title>${parts.join('')}</svg>`;
}
