import type { DomainName } from '../model/index.js';
import type { DomainCatalog } from './domain-catalog.js';

interface RuleBase {
  /** Names the rule in findings, e.g. `system-b`. */
  readonly name: string;
  /** The domain whose IDs the rule reads (`run`). */
  readonly child: DomainName;
  /** The domain of the parent it reads out (`thread`). */
  readonly parent: DomainName;
  /** RE2 source; the rule applies only to IDs it matches. Default: every ID of `child`. */
  readonly match?: string;
}

/** The parent is the child spec's parent field for domain `parent`, parsed by the catalog. */
export interface SpecExtractionRule extends RuleBase {
  readonly kind: 'spec';
}

/** The parent is the child's tokens between the first `dropLeft` and the last `dropRight`. */
export interface TokensExtractionRule extends RuleBase {
  readonly kind: 'tokens';
  readonly separator: string;
  readonly dropLeft: number;
  readonly dropRight: number;
}

/** The parent is the child ID with prefix `from` replaced by `to` (`run_…` → `thread_…`). */
export interface ReplacePrefixExtractionRule extends RuleBase {
  readonly kind: 'replace-prefix';
  readonly from: string;
  readonly to: string;
}

/**
 * How a target reads a parent out of a child ID, declared as data so that checks and stores can
 * apply it. A target running two ID systems side by side declares a rule for each; for an ID,
 * the first rule (in order) whose `child` and `match` fit applies.
 */
export type ExtractionRule = SpecExtractionRule | TokensExtractionRule | ReplacePrefixExtractionRule;

/**
 * Applies the first fitting rule of `rules` to `id` of domain `child`, giving the parent ID it
 * reads out, or `undefined` when no rule fits or the fitting rule cannot read one (the ID is too
 * short, or does not parse under the catalog's spec).
 */
export function extractParent(rules: readonly ExtractionRule[], child: DomainName, id: string, catalog: DomainCatalog): { rule: string; parent: string | undefined } | undefined {
  for (const rule of rules) {
    if (rule.child !== child) continue;
    if (rule.match !== undefined && !new RegExp(rule.match).test(id)) continue;
    return { rule: rule.name, parent: applyRule(rule, id, catalog) };
  }
  return undefined;
}

function applyRule(rule: ExtractionRule, id: string, catalog: DomainCatalog): string | undefined {
  switch (rule.kind) {
    case 'spec': {
      const r = catalog.codec(rule.child).parse(id);
      if (!r.ok) return undefined;
      const field = catalog.codec(rule.child).spec.fields.find((f) => f.kind === 'parent' && f.domain === rule.parent);
      return field === undefined ? undefined : r.value.fields[field.name];
    }
    case 'tokens': {
      const tokens = id.split(rule.separator);
      if (tokens.length <= rule.dropLeft + rule.dropRight) return undefined;
      return tokens.slice(rule.dropLeft, tokens.length - rule.dropRight).join(rule.separator);
    }
    case 'replace-prefix':
      return id.startsWith(rule.from) ? rule.to + id.slice(rule.from.length) : undefined;
  }
}
