/** The language a rule reads. */
export type AuditLanguage = 'python' | 'typescript';

/**
 * A stable rule identifier. Baselines and SARIF results key on it, so an ID never changes meaning;
 * new rules get new IDs.
 */
export type AuditRuleId =
  | 'py/uuid'
  | 'py/uuid-truncated'
  | 'py/secrets-token-id'
  | 'py/time-counter-id'
  | 'js/crypto-random-uuid'
  | 'js/uuid-package'
  | 'js/nanoid'
  | 'js/math-random-string';

/** What one rule looks for and what to do instead. */
export interface AuditRule {
  readonly id: AuditRuleId;
  readonly language: AuditLanguage;
  /** One line: what the rule flags. */
  readonly summary: string;
  /** Why it matters, for SARIF `fullDescription` and `docs/audit.md`. */
  readonly description: string;
  /** The default hint: the SSOT call to use instead. Overridable per run. */
  readonly hint: string;
}

const PY_HINT = 'mint the ID with the single generator (e.g. ids.new_id(domain)) in the allowed SSOT module';
const JS_HINT = 'mint the ID with the single generator (e.g. newId(domain)) from the allowed SSOT module';

/** Every rule of `idgate audit`, by ID. */
export const AUDIT_RULES: Readonly<Record<AuditRuleId, AuditRule>> = {
  'py/uuid': {
    id: 'py/uuid',
    language: 'python',
    summary: 'uuid.uuid1/uuid4/uuid6/uuid7/uuid8 called or passed as a factory outside the SSOT module',
    description: 'A UUID minted at the call site bypasses the single generator: its domain prefix, layout and ownership are nobody\'s to check.',
    hint: PY_HINT,
  },
  'py/uuid-truncated': {
    id: 'py/uuid-truncated',
    language: 'python',
    summary: 'a UUID cut down by slicing (uuid4().hex[:8], str(uuid4())[:12])',
    description: 'A truncated UUID keeps a few bytes of randomness: 8 hex digits collide after about 65,000 IDs.',
    hint: PY_HINT,
  },
  'py/secrets-token-id': {
    id: 'py/secrets-token-id',
    language: 'python',
    summary: 'secrets.token_hex/token_urlsafe used to make an ID (assigned to an *_id name, returned by a *_id function, an id= argument)',
    description: 'A random token used as an ID has no domain and no owner tag; tokens for secrets (passwords, CSRF) are not flagged.',
    hint: PY_HINT,
  },
  'py/time-counter-id': {
    id: 'py/time-counter-id',
    language: 'python',
    summary: 'an ID built from time.time()/time_ns() in an f-string, str.format or % format, with a counter or in an ID position',
    description: 'Clock-plus-counter IDs repeat across processes, restarts and clock steps.',
    hint: PY_HINT,
  },
  'js/crypto-random-uuid': {
    id: 'js/crypto-random-uuid',
    language: 'typescript',
    summary: 'crypto.randomUUID from node:crypto or the Web Crypto global, called or passed as a factory',
    description: 'A UUID minted at the call site bypasses the single generator.',
    hint: JS_HINT,
  },
  'js/uuid-package': {
    id: 'js/uuid-package',
    language: 'typescript',
    summary: 'the uuid package\'s v1/v4/v6/v7, in any import form',
    description: 'A UUID minted at the call site bypasses the single generator.',
    hint: JS_HINT,
  },
  'js/nanoid': {
    id: 'js/nanoid',
    language: 'typescript',
    summary: 'nanoid, customAlphabet or customRandom from the nanoid package',
    description: 'A nanoid minted at the call site bypasses the single generator.',
    hint: JS_HINT,
  },
  'js/math-random-string': {
    id: 'js/math-random-string',
    language: 'typescript',
    summary: 'Math.random() turned into a string (toString(36), template, concatenation, picking characters)',
    description: 'Math.random is not a secure source and its strings collide; it must never make IDs.',
    hint: JS_HINT,
  },
};

/** All rule IDs in a stable order. */
export const AUDIT_RULE_IDS: readonly AuditRuleId[] = Object.keys(AUDIT_RULES) as AuditRuleId[];

/** True when `id` names a rule of {@link AUDIT_RULES}. */
export function isAuditRuleId(id: string): id is AuditRuleId {
  return Object.hasOwn(AUDIT_RULES, id);
}
