/**
 * The production volume the entropy check projects to, and the collision risk it accepts.
 * Profiles carry these (`entropyVolumePerDay`, `entropyDays`, `entropyThreshold`).
 */
export interface EntropyOptions {
  /** IDs minted per domain per day in production. Default 10⁹. */
  readonly volumePerDay: number;
  /** Days the IDs must stay unique over. Default 365. */
  readonly days: number;
  /** The largest acceptable chance of any collision over that volume. Default 10⁻⁶. */
  readonly threshold: number;
  /** Values kept per domain and layout for the collision counts (a seeded reservoir). Default 200,000. */
  readonly sampleSize: number;
  /**
   * IDs per domain the estimators look at; later ones are passed over. Per-position counting
   * costs about 2.7 s per 1M IDs, and a few hundred thousand values already estimate a field
   * to a fraction of a bit; repeats beyond are the duplicate check's. Default 400,000.
   */
  readonly maxObservedPerDomain: number;
}

/** The defaults of {@link EntropyOptions}. */
export const DEFAULT_ENTROPY_OPTIONS: EntropyOptions = { volumePerDay: 1e9, days: 365, threshold: 1e-6, sampleSize: 200_000, maxObservedPerDomain: 400_000 };
