/**
 * Waiting between attempts: `Retry-After` parsing and jittered exponential backoff.
 */

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date (relative to
 * `now`). Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt` (1-based): `base · 2^(attempt-1)`, scaled by a random
 * factor in [0.5, 1.5) so clients that failed together do not retry together.
 */
export function backoff(attempt: number, base: number, random: () => number): number {
  return Math.round(base * 2 ** Math.max(0, attempt - 1) * (0.5 + random()));
}
