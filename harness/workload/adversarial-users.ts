import { Faker, en } from '@faker-js/faker';

/** The kinds of adversarial identity {@link adversarialUsers} makes, in the order it cycles through them. */
export const ADVERSARIAL_KINDS = ['shared-prefix', 'unicode', 'long', 'look-alike', 'numeric', 'glob'] as const;

/** One of {@link ADVERSARIAL_KINDS}. */
export type AdversarialKind = (typeof ADVERSARIAL_KINDS)[number];

/** An adversarial user ID and why it is hard. */
export interface AdversarialUser {
  readonly id: string;
  readonly kind: AdversarialKind;
}

// Confusable substitutions: Latin letter → a character that renders (almost) the same.
const CONFUSABLES: readonly (readonly [string, string])[] = [
  ['a', '\u0430'], // Cyrillic a
  ['e', '\u0435'], // Cyrillic ie
  ['o', '\u03bf'], // Greek omicron
  ['l', '1'],
  ['i', '\u0131'], // dotless i
  ['c', '\u0441'], // Cyrillic es
];

/**
 * Identities built to break ID systems that shortcut on the user ID, seeded so a replay sees
 * the same ones. Each kind comes in small families of distinct IDs that collide under a
 * careless reading:
 * - `shared-prefix`: provider IDs (`google-oauth2|…`, `auth0|…`) equal in far more than their
 *   first 8 characters, differing only at the end;
 * - `unicode`: the same name composed (NFC) and decomposed (NFD), plus CJK, RTL and emoji;
 * - `long`: 300–2,000 characters, equal but for the last one;
 * - `look-alike`: Cyrillic/Greek confusables, case variants and a zero-width space;
 * - `numeric`: digit strings that a number parser would fold together (`007`, `7`, `7.0`, `7e0`);
 * - `glob`: Redis glob metacharacters (`*`, `?`, `[`, `\`) and the `_`/`:` separators IDs and
 *   keys use.
 * Every ID is a well-formed, non-empty Unicode string; the `count` returned are all distinct.
 */
export function adversarialUsers(count: number, seed: number): AdversarialUser[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`adversarialUsers: count must be a whole number ≥ 0, got ${String(count)}; pass the number of users wanted`);
  }
  const faker = new Faker({ locale: [en] });
  faker.seed(seed ^ 0x5a5a5a5a);
  const out: AdversarialUser[] = [];
  const seen = new Set<string>();
  const add = (kind: AdversarialKind, id: string) => {
    if (out.length < count && id.length > 0 && id.isWellFormed() && !seen.has(id)) {
      seen.add(id);
      out.push({ id, kind });
    }
  };
  for (let round = 0; out.length < count; round++) {
    const kind = ADVERSARIAL_KINDS[round % ADVERSARIAL_KINDS.length]!;
    for (const id of family(kind, faker)) add(kind, id);
  }
  return out;
}

/** A few distinct IDs of `kind` that a careless reading of user IDs would confuse. */
function family(kind: AdversarialKind, faker: Faker): string[] {
  const digits = (n: number) => faker.string.numeric({ length: n, allowLeadingZeros: false });
  const name = faker.person.firstName().toLowerCase();
  switch (kind) {
    case 'shared-prefix': {
      const provider = faker.helpers.arrayElement(['google-oauth2', 'auth0', 'windowslive', 'samlp|acme']);
      const common = digits(18);
      return [0, 1, 2].map((k) => `${provider}|${common}${k}${digits(2)}`);
    }
    case 'unicode': {
      const base = `${name}é${faker.string.alphanumeric(4)}`;
      return [`email|${base.normalize('NFC')}@exämple.com`, `email|${base.normalize('NFD')}@exämple.com`, `line|${faker.string.numeric(4)}用户名`, `auth0|\u05de\u05e9\u05ea\u05de\u05e9-${digits(4)}`, `github|${name}\u{1f600}${digits(3)}`];
    }
    case 'long': {
      const n = faker.number.int({ min: 300, max: 2000 });
      const body = `auth0|${faker.string.alphanumeric(n)}`;
      return [`${body}a`, `${body}b`];
    }
    case 'look-alike': {
      const base = `${name}${digits(3)}@example.com`;
      const [from, to] = faker.helpers.arrayElement(CONFUSABLES.filter(([f]) => base.includes(f)).concat([['', '']]));
      const variants = [base, base.toUpperCase(), `${base.slice(0, 3)}\u200b${base.slice(3)}`];
      if (from !== '') variants.push(base.replace(from, to));
      return variants.map((v) => `email|${v}`);
    }
    case 'numeric': {
      const n = digits(faker.number.int({ min: 1, max: 12 }));
      return [n, `0${n}`, `00${n}`, `${n}.0`, `${n}e0`, `-${n}`];
    }
    case 'glob':
      return [`github|${name}*`, `github|${name}?`, `github|[${name}]`, `github|${name}\\*`, `auth0|${name}_${digits(2)}:x`];
  }
}
