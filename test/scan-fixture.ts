import { createHash } from 'node:crypto';
import { defaultCatalog } from '../harness/spec/index.js';

/**
 * Deterministic IDs for the scan tests: user `i`'s ID, tag and IDs of every domain, built with the
 * default catalog's formatter so clean data parses by construction.
 */
export class ScanFixture {
  private readonly catalog = defaultCatalog();
  private n = 0;

  /** `len` lower-case hex characters, distinct per call and the same in every run. */
  hex(len = 24): string {
    this.n++;
    return createHash('sha256').update(`scan-fixture-${this.n}`).digest('hex').slice(0, len);
  }

  user(i: number): string {
    return this.catalog.codec('user').format({ random: `${i.toString(16).padStart(4, '0')}${'a'.repeat(20)}` });
  }

  tag(i: number): string {
    return `${i.toString(16).padStart(4, '0')}${'b'.repeat(16)}`;
  }

  id(domain: string, fields: Record<string, string> = {}): string {
    return this.catalog.codec(domain).format({ random: this.hex(), ...fields });
  }
}
