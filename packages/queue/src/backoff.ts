export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 30_000 } as const;

/**
 * Exponential backoff with full jitter: a uniform delay in
 * [0, min(maxMs, baseMs * 2^(attempt-1))). Full jitter spreads the retries
 * of many clients that failed at the same moment (AWS architecture blog,
 * "Exponential Backoff And Jitter"). `attempt` counts from 1.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  // Cap the exponent so 2^n never overflows to Infinity on long outages.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
