import { UsageError, type Finding } from '../model/index.js';

/**
 * Pass/fail limits on what the service golden path measured, k6-style: a metric name mapped to
 * one expression or a list, each `<aggregation> <operator> <number>`.
 *
 * - `path`, `step.<step>` (`login`, `socket`, `createThread`, `startRun`, `sendMessage`,
 *   `delivery`, `disconnect`): durations in ms; aggregations `avg`, `min`, `med`, `max`, `p(N)`.
 * - `users_per_second`: users through the run per second of wall time; aggregation `value`.
 * - `users_failed`: the fraction (0–1) of users whose path failed; aggregation `rate`.
 *
 * Operators `<`, `<=`, `>`, `>=`, `==`, `!=`.
 *
 * @example `{ path: ['p(95)<2000', 'max<5000'], 'step.login': 'p(99)<500', users_failed: 'rate<0.01' }`
 */
export type ServiceThresholds = Readonly<Record<string, string | readonly string[]>>;

/** One parsed threshold expression. */
export interface ServiceThreshold {
  readonly metric: string;
  /** As written, e.g. `p(95)<2000`. */
  readonly expression: string;
  readonly aggregation: string;
  readonly operator: '<' | '<=' | '>' | '>=' | '==' | '!=';
  readonly limit: number;
}

/** A threshold and what the run measured against it. */
export interface ServiceThresholdResult extends ServiceThreshold {
  /** NaN when the run has no sample of the metric (which fails the threshold). */
  readonly measured: number;
  readonly ok: boolean;
}

/** What the thresholds are checked against. */
export interface ServiceMetrics {
  /** Per trend metric (`path`, `step.login`, …), every sample in ms. */
  readonly trends: ReadonlyMap<string, readonly number[]>;
  readonly usersPerSecond: number;
  /** Fraction of users whose path failed. */
  readonly usersFailed: number;
}

/** A threshold that does not parse: names the key (`service.thresholds.path`), the problem and the fix. Exit 2. */
export class ServiceThresholdError extends UsageError {
  readonly key: string;
  readonly problem: string;

  constructor(api: string, key: string, problem: string, fix: string) {
    super('IDGATE_THRESHOLD', `${api}: ${key}: ${problem}`, fix);
    this.key = key;
    this.problem = problem;
  }
}

const STEPS = ['login', 'socket', 'createThread', 'startRun', 'sendMessage', 'delivery', 'disconnect'] as const;
const EXPRESSION = /^\s*(avg|min|med|max|value|rate|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

/** Units for messages. */
function unit(metric: string): string {
  return metric === 'path' || metric.startsWith('step.') ? ' ms' : metric === 'users_per_second' ? ' users/s' : '';
}

/**
 * Parses thresholds before any traffic. An unknown metric, an aggregation the metric does not
 * have, or an expression that does not parse is a {@link UsageError} naming the key (`where`
 * prefixes it, e.g. `service.thresholds`) and the fix.
 */
export function parseServiceThresholds(thresholds: unknown, where = 'service.thresholds', api = 'idgate golden'): ServiceThreshold[] {
  if (thresholds === undefined) return [];
  if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) {
    throw new ServiceThresholdError(api, where, 'must be an object of metric → expression(s)', `write ${where}: { path: ['p(95)<2000'] }`);
  }
  const out: ServiceThreshold[] = [];
  for (const [metric, value] of Object.entries(thresholds)) {
    const trend = metric === 'path' || (metric.startsWith('step.') && (STEPS as readonly string[]).includes(metric.slice(5)));
    if (!trend && metric !== 'users_per_second' && metric !== 'users_failed') {
      throw new ServiceThresholdError(api, `${where}.${metric}`, 'is not a metric of the service golden path', `use path, ${STEPS.map((s) => `step.${s}`).join(', ')}, users_per_second or users_failed`);
    }
    const list: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
    if (list.length === 0) throw new ServiceThresholdError(api, `${where}.${metric}`, 'is empty', `write ${where}: { ${JSON.stringify(metric)}: ['p(95)<2000'] } or leave it out`);
    for (const e of list) {
      const m = typeof e === 'string' ? EXPRESSION.exec(e) : null;
      const example = trend ? 'p(95)<2000' : metric === 'users_per_second' ? 'value>=50' : 'rate<0.01';
      if (m === null) throw new ServiceThresholdError(api, `${where}.${metric}`, `${JSON.stringify(e)} is not <aggregation><operator><number>`, `write e.g. '${example}'`);
      const aggregation = m[2] === undefined ? m[1]! : `p(${m[2]})`;
      const fits = trend ? !['value', 'rate'].includes(aggregation) : aggregation === (metric === 'users_per_second' ? 'value' : 'rate');
      if (!fits) throw new ServiceThresholdError(api, `${where}.${metric}`, `${JSON.stringify(e)}: ${metric} has no aggregation ${aggregation}`, `write e.g. '${example}'${trend ? ' (avg, min, med, max or p(N))' : ''}`);
      if (m[2] !== undefined && !(Number(m[2]) > 0 && Number(m[2]) <= 100)) throw new ServiceThresholdError(api, `${where}.${metric}`, `${JSON.stringify(e)}: p(N) takes 0 < N ≤ 100`, "write e.g. 'p(95)<2000'");
      out.push({ metric, expression: (e as string).replace(/\s+/g, ''), aggregation, operator: m[3] as ServiceThreshold['operator'], limit: Number(m[4]) });
    }
  }
  return out;
}

/** Nearest-rank value of `agg` over ascending `sorted` (NaN when empty). */
function aggregate(sorted: readonly number[], agg: string): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  if (agg === 'avg') return sorted.reduce((a, b) => a + b, 0) / sorted.length;
  if (agg === 'min') return sorted[0]!;
  if (agg === 'max') return sorted.at(-1)!;
  if (agg === 'med') return rank(0.5);
  return rank(Number(/^p\((.+)\)$/.exec(agg)![1]) / 100);
}

function holds(measured: number, op: ServiceThreshold['operator'], limit: number): boolean {
  switch (op) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
    case '==':
      return measured === limit;
    case '!=':
      return measured !== limit;
  }
}

/** Each threshold against the run's metrics; a metric with no sample fails its thresholds. */
export function evaluateServiceThresholds(thresholds: readonly ServiceThreshold[], metrics: ServiceMetrics): ServiceThresholdResult[] {
  const sorted = new Map<string, number[]>();
  return thresholds.map((t) => {
    let measured: number;
    if (t.metric === 'users_per_second') measured = metrics.usersPerSecond;
    else if (t.metric === 'users_failed') measured = metrics.usersFailed;
    else {
      let s = sorted.get(t.metric);
      if (s === undefined) {
        s = [...(metrics.trends.get(t.metric) ?? [])].sort((a, b) => a - b);
        sorted.set(t.metric, s);
      }
      measured = aggregate(s, t.aggregation);
    }
    return { ...t, measured, ok: !Number.isNaN(measured) && holds(measured, t.operator, t.limit) };
  });
}

/**
 * One `target-failure` finding (rule `threshold`) per failed threshold, naming the metric, the
 * limit and the measured value.
 */
export function thresholdFindings(results: readonly ServiceThresholdResult[], service: string, replay?: Finding['replay']): Finding[] {
  return results
    .filter((r) => !r.ok)
    .map((r) => {
      const u = unit(r.metric);
      const measured = Number.isNaN(r.measured) ? 'no sample (no user got through that step)' : `${r.aggregation} ${formatValue(r.measured)}${u}`;
      return {
        kind: 'target-failure',
        rule: 'threshold',
        source: 'service',
        message: `${service}: threshold ${r.metric} ${r.expression} failed: measured ${measured}, limit ${r.operator} ${formatValue(r.limit)}${u}`,
        ids: [],
        owners: [],
        evidence: { metric: r.metric, threshold: r.expression, aggregation: r.aggregation, operator: r.operator, limit: r.limit, measured: Number.isNaN(r.measured) ? null : r.measured, target: service },
        ...(replay === undefined ? {} : { replay }),
      } satisfies Finding;
    });
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 3 : 1);
}
