/** The outcome of {@link boundedWait}. */
export type BoundedResult<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'error'; readonly error: unknown } | { readonly kind: 'timeout' };

/**
 * Waits for `work` at most `ms` milliseconds. Never rejects: a rejection or a synchronous throw
 * of `work` is an `error`, no settlement in time a `timeout`. The timer never keeps the process
 * alive after the result is known.
 */
export async function boundedWait<T>(work: () => T | Promise<T>, ms: number): Promise<BoundedResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BoundedResult<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  const run = (async (): Promise<BoundedResult<T>> => {
    try {
      return { kind: 'value', value: await work() };
    } catch (error) {
      return { kind: 'error', error };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A one-line description of something thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
