import { IdgateError } from '../model/index.js';
import { compileCatalog, DEFAULT_CATALOG, extendCatalog, type DomainCatalog } from '../spec/index.js';
import { parseServiceThresholds, ServiceThresholdError } from '../service/index.js';
import { PROFILES, resolveProfile } from '../workload/index.js';
import { ConfigError } from './config-error.js';
import type { IdgateConfig } from './idgate-config.js';

const TOP_KEYS = ['target', 'domains', 'profiles', 'thresholds', 'baseline', 'stores', 'audit', 'service'] as const;
const SERVICE_KEYS = ['spec', 'users', 'thresholds', 'timeouts', 'rampMs'] as const;
const THRESHOLD_KEYS = ['productionIdsPerDay', 'productionDays', 'maxCollisionProbability'] as const;
const AUDIT_KEYS = ['root', 'allow', 'exclude'] as const;
const STORES = ['auto', 'url', 'container', 'local'] as const;
const OVERRIDABLE = Object.keys(PROFILES.ci).filter((k) => k !== 'name' && k !== 'description');

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The closest of `known` to `key` by edit distance, when close enough to be a typo. */
function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? `did you mean ${best}? ` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function onlyKeys(file: string, path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new ConfigError(file, `${path}${key}`, 'unknown key', `${suggest(key, known)}the keys here are ${known.join(', ')}`);
    }
  }
}

function stringList(file: string, key: string, v: unknown): void {
  if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === 'string'))) {
    throw new ConfigError(file, key, `must be an array of strings, got ${JSON.stringify(v)}`, `write ${key.split('.').at(-1)}: ['src/ids/**']`);
  }
}

/**
 * Checks a configuration's shape and values before any work: unknown keys (with the likely
 * intended one), wrong types, profile overrides that do not make a profile, domains that do not
 * compile. Throws {@link ConfigError} naming `file`, the key and the fix.
 */
export function validateConfig(file: string, value: unknown): IdgateConfig {
  if (!isRecord(value)) {
    throw new ConfigError(file, '(default export)', `must be an object, got ${value === null ? 'null' : typeof value}`, "export default defineConfig({ … }) (import { defineConfig } from 'idgate')");
  }
  onlyKeys(file, '', value, TOP_KEYS);
  for (const key of ['target', 'baseline'] as const) {
    const v = value[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) throw new ConfigError(file, key, `must be a non-empty string, got ${JSON.stringify(v)}`, `write ${key}: '…' or leave it out`);
  }
  if (value.stores !== undefined && !(STORES as readonly unknown[]).includes(value.stores)) {
    throw new ConfigError(file, 'stores', `must be one of ${STORES.join(', ')}, got ${JSON.stringify(value.stores)}`, "write stores: 'auto' or leave it out");
  }
  if (value.profiles !== undefined) {
    if (!isRecord(value.profiles)) throw new ConfigError(file, 'profiles', 'must be an object keyed by profile name', 'write profiles: { gate: { idsPerDomain: 200_000 } }');
    onlyKeys(file, 'profiles.', value.profiles, Object.keys(PROFILES));
    for (const [name, overrides] of Object.entries(value.profiles)) {
      if (!isRecord(overrides)) throw new ConfigError(file, `profiles.${name}`, 'must be an object of profile fields', `write profiles: { ${name}: { idsPerDomain: 200_000 } }`);
      onlyKeys(file, `profiles.${name}.`, overrides, OVERRIDABLE);
      try {
        resolveProfile(name, overrides);
      } catch (e) {
        const key = OVERRIDABLE.find((k) => e instanceof Error && e.message.includes(`${k} `)) ?? '';
        throw new ConfigError(file, `profiles.${name}${key === '' ? '' : `.${key}`}`, e instanceof IdgateError ? e.message.split('\n')[0]! : String(e), 'use a whole number ≥ 1 (contextsPerUser: ≥ 0)', { cause: e });
      }
    }
  }
  if (value.thresholds !== undefined) {
    if (!isRecord(value.thresholds)) throw new ConfigError(file, 'thresholds', 'must be an object', 'write thresholds: { maxCollisionProbability: 1e-6 }');
    onlyKeys(file, 'thresholds.', value.thresholds, THRESHOLD_KEYS);
    for (const [k, v] of Object.entries(value.thresholds)) {
      const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (k !== 'maxCollisionProbability' || v < 1);
      if (!ok) throw new ConfigError(file, `thresholds.${k}`, `must be a positive number${k === 'maxCollisionProbability' ? ' below 1' : ''}, got ${JSON.stringify(v)}`, `write ${k}: ${k === 'maxCollisionProbability' ? '1e-6' : k === 'productionDays' ? '365' : '1e9'}`);
    }
  }
  if (value.audit !== undefined) {
    if (!isRecord(value.audit) || typeof value.audit.root !== 'string' || value.audit.root === '') {
      throw new ConfigError(file, 'audit.root', 'must be the source tree to audit', "write audit: { root: 'src', allow: ['src/ids/**'] }");
    }
    onlyKeys(file, 'audit.', value.audit, AUDIT_KEYS);
    stringList(file, 'audit.allow', value.audit.allow);
    stringList(file, 'audit.exclude', value.audit.exclude);
  }
  if (value.domains !== undefined) configCatalog(file, value);
  if (value.service !== undefined) validateService(file, value.service);
  return value;
}

/** `service`: a spec string, or `{ spec, users?, thresholds?, timeouts? }` with k6-style thresholds that parse. */
function validateService(file: string, service: unknown): void {
  const example = "write service: { spec: 'fixture', thresholds: { path: ['p(95)<2000'] } }";
  if (typeof service === 'string') {
    if (service.trim() === '') throw new ConfigError(file, 'service', 'must not be empty', example);
    return;
  }
  if (!isRecord(service)) throw new ConfigError(file, 'service', `must be a string or an object, got ${JSON.stringify(service)}`, example);
  onlyKeys(file, 'service.', service, SERVICE_KEYS);
  if (typeof service.spec !== 'string' || service.spec.trim() === '') {
    throw new ConfigError(file, 'service.spec', `must name the service (fixture[:<mode>], an http(s) URL or a module), got ${JSON.stringify(service.spec)}`, "write spec: 'fixture' or spec: 'http://127.0.0.1:8080'");
  }
  if (service.users !== undefined && !(Number.isInteger(service.users) && (service.users as number) >= 1)) {
    throw new ConfigError(file, 'service.users', `must be a whole number ≥ 1, got ${JSON.stringify(service.users)}`, 'write users: 500');
  }
  if (service.rampMs !== undefined && !(Number.isInteger(service.rampMs) && (service.rampMs as number) >= 0)) {
    throw new ConfigError(file, 'service.rampMs', `must be a whole number of ms ≥ 0, got ${JSON.stringify(service.rampMs)}`, 'write rampMs: 2000 (or 0: every user at once)');
  }
  if (service.timeouts !== undefined) {
    if (!isRecord(service.timeouts)) throw new ConfigError(file, 'service.timeouts', 'must be an object', 'write timeouts: { stepMs: 5000, cleanupMs: 3000 }');
    onlyKeys(file, 'service.timeouts.', service.timeouts, ['stepMs', 'cleanupMs']);
    for (const [k, v] of Object.entries(service.timeouts)) {
      if (!(Number.isInteger(v) && (v as number) > 0)) throw new ConfigError(file, `service.timeouts.${k}`, `must be a whole number of ms > 0, got ${JSON.stringify(v)}`, `write ${k}: ${k === 'stepMs' ? 5000 : 3000}`);
    }
  }
  try {
    parseServiceThresholds(service.thresholds, 'service.thresholds');
  } catch (e) {
    if (!(e instanceof ServiceThresholdError)) throw e;
    throw new ConfigError(file, e.key, e.problem, e.remedy, { cause: e });
  }
}

/**
 * The catalog a configuration describes: idgate's default catalog extended with its `domains`.
 * A spec that does not compile is a {@link ConfigError} on `domains`.
 */
export function configCatalog(file: string, config: IdgateConfig): DomainCatalog | undefined {
  const domains = config.domains;
  if (domains === undefined) return undefined;
  if (!isRecord(domains) || !Array.isArray(domains.domains)) {
    throw new ConfigError(file, 'domains', 'must be a catalog definition { domains: [...], pairs?: [...] }', "write domains: { domains: [defineDomain('order', [literal('order'), random()])] }");
  }
  try {
    return compileCatalog(extendCatalog(DEFAULT_CATALOG, domains));
  } catch (e) {
    if (!(e instanceof IdgateError)) throw e;
    throw new ConfigError(file, 'domains', e.message.split('\n')[0]!, e.remedy, { cause: e });
  }
}
