import { Faker, en } from '@faker-js/faker';
import { adversarialUsers } from './adversarial-users.js';

/** Options of {@link createUserTable}. */
export interface UserTableOptions {
  /** The share of the table made of adversarial identities ({@link adversarialUsers}). Default 0.2. */
  readonly adversarialShare?: number;
}

/**
 * The run's users: identities as an auth provider would give them (`auth0|…`,
 * `google-oauth2|…`, e-mail-like), made by @faker-js/faker from the run's seed so a replay
 * sees the same users, with adversarial identities (shared 8-character prefixes, Unicode,
 * very long, look-alikes, numeric, glob metacharacters) spread through the table: one in
 * five by default, and at least one of each kind once the table has 12 users. Index i is owner
 * i in every IdBatch. All distinct.
 */
export function createUserTable(count: number, seed: number, options: UserTableOptions = {}): string[] {
  const share = options.adversarialShare ?? 0.2;
  if (!(share >= 0 && share <= 1)) throw new RangeError(`createUserTable: adversarialShare must be between 0 and 1, got ${String(share)}; pass a fraction`);
  const nAdversarial = share === 0 ? 0 : Math.min(count, Math.max(Math.ceil(count * share), Math.min(count, 12)));
  const adversarial = adversarialUsers(nAdversarial, seed).map((u) => u.id);
  const taken = new Set(adversarial);
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const plain: string[] = [];
  const providers = ['auth0', 'google-oauth2', 'github', 'email'] as const;
  while (plain.length < count - adversarial.length) {
    const p = providers[plain.length % providers.length]!;
    const id =
      p === 'email'
        ? faker.internet.email().toLowerCase()
        : p === 'github'
          ? `github|${faker.internet.username().toLowerCase()}`
          : `${p}|${faker.string.numeric({ length: 21, allowLeadingZeros: false })}`;
    if (!taken.has(id)) {
      taken.add(id);
      plain.push(id);
    }
  }
  // Spread the adversarial users evenly, so every worker and both halves of a restart get some.
  const out: string[] = [];
  let a = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    const wantA = adversarial.length === 0 ? false : a < Math.floor(((i + 1) * adversarial.length) / count);
    out.push(wantA || p >= plain.length ? adversarial[a++]! : plain[p++]!);
  }
  return out;
}
