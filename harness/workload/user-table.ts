import { Faker, en } from '@faker-js/faker';

/**
 * The run's users: identities as an auth provider would give them (`auth0|…`,
 * `google-oauth2|…`, e-mail-like), made by @faker-js/faker from the run's seed so a replay
 * sees the same users. Index i is owner i in every IdBatch. All distinct.
 */
export function createUserTable(count: number, seed: number): string[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const users = new Set<string>();
  const providers = ['auth0', 'google-oauth2', 'github', 'email'] as const;
  while (users.size < count) {
    const p = providers[users.size % providers.length]!;
    const id =
      p === 'email'
        ? faker.internet.email().toLowerCase()
        : p === 'github'
          ? `github|${faker.internet.username().toLowerCase()}`
          : `${p}|${faker.string.numeric({ length: 21, allowLeadingZeros: false })}`;
    users.add(id);
  }
  return [...users];
}
