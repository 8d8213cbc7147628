import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_KINDS, adversarialUsers } from './adversarial-users.js';
import { createUserTable } from './user-table.js';

describe('createUserTable', () => {
  it('is seeded, distinct, well-formed and of the size asked, for any size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.nat(), (count, seed) => {
        const users = createUserTable(count, seed);
        expect(users).toHaveLength(count);
        expect(new Set(users).size).toBe(count);
        expect(users.every((u) => u.length > 0 && u.isWellFormed())).toBe(true);
        expect(createUserTable(count, seed)).toEqual(users);
      }),
      { numRuns: 40 },
    );
  });

  it('holds every adversarial kind, including users sharing their first 8 characters', () => {
    const users = createUserTable(500, 7);
    const kinds = new Set(adversarialUsers(100, 7).map((u) => u.kind));
    expect([...kinds].sort()).toEqual([...ADVERSARIAL_KINDS].sort());
    for (const u of adversarialUsers(100, 7)) expect(users).toContain(u.id);
    const byPrefix = new Map<string, number>();
    for (const u of users) byPrefix.set(u.slice(0, 8), (byPrefix.get(u.slice(0, 8)) ?? 0) + 1);
    expect(Math.max(...byPrefix.values())).toBeGreaterThan(10);
    expect(users.some((u) => u.length >= 300)).toBe(true);
    expect(users.some((u) => /^\d+$/.test(u))).toBe(true);
    expect(users.some((u) => u !== u.normalize('NFC'))).toBe(true);
    expect(users.some((u) => /[*?[\\]/.test(u))).toBe(true);
  });
});
