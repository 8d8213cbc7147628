import { escapeHtml } from './escape-html.js';
import { formatCount } from './format-number.js';

/** One line of a {@link svgLineChart}. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  /** Points as [x, y], x ascending. */
  readonly points: readonly (readonly [number, number])[];
}

/** Options of {@link svgLineChart}. */
export interface LineChartOptions {
  /** Accessible title (also the `aria-label`). Required. */
  readonly title: string;
  readonly series: readonly LineSeries[];
  /** Axis captions. Default: none. */
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Width and height in px. Default: 760 × 240. */
  readonly width?: number;
  readonly height?: number;
  /** Formats x tick labels. Default: seconds from milliseconds (`12 s`). */
  readonly formatX?: (x: number) => string;
}

/**
 * A line chart as inline SVG: one `polyline.line` per series carrying `data-series` and
 * `data-points` (the point count), y from 0, with a few labelled ticks on both axes.
 */
export function svgLineChart(o: LineChartOptions): string {
  const width = o.width ?? 760;
  const height = o.height ?? 240;
  const left = 64;
  const bottom = 34;
  const top = 24;
  const right = 16;
  const all = o.series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p[0]));
  const maxY = Math.max(1, ...all.map((p) => p[1]));
  const fx = o.formatX ?? ((v: number) => `${(v / 1000).toFixed(v < 10_000 ? 1 : 0)} s`);
  const px = (v: number) => left + (v / maxX) * (width - left - right);
  const py = (v: number) => height - bottom - (v / maxY) * (height - top - bottom);
  const parts: string[] = [
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" class="axis"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" class="axis"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const yv = (maxY * i) / 4;
    const xv = (maxX * i) / 4;
    parts.push(`<text x="${left - 6}" y="${py(yv) + 4}" text-anchor="end" class="val">${escapeHtml(formatCount(yv))}</text>`);
    parts.push(`<line x1="${left}" y1="${py(yv)}" x2="${width - right}" y2="${py(yv)}" class="grid"/>`);
    parts.push(`<text x="${px(xv)}" y="${height - bottom + 16}" text-anchor="middle" class="val">${escapeHtml(fx(xv))}</text>`);
  }
  if (o.xLabel !== undefined) parts.push(`<text x="${width - right}" y="${height - 4}" text-anchor="end" class="legend">${escapeHtml(o.xLabel)}</text>`);
  if (o.yLabel !== undefined) parts.push(`<text x="${left}" y="14" class="legend">${escapeHtml(o.yLabel)}</text>`);
  let lx = left + 160;
  for (const s of o.series) {
    const pts = s.points.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="line" fill="none" stroke="${s.color}" stroke-width="2" points="${pts}" data-series="${escapeHtml(s.name)}" data-points="${s.points.length}"/>`);
    parts.push(`<rect x="${lx}" y="6" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="15" class="legend">${escapeHtml(s.name)}</text>`);
    lx += 24 + s.name.length * 7;
  }
  return `<svg class="chart" role="img" aria-label="${escapeHtml(o.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(o.title)}</title>${parts.join('')}</svg>`;
}
