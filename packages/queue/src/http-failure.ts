import { type FailureKind, QueueError } from "./queue-error";

/**
 * Maps an HTTP answer to a failure kind. `0` stands for a network error (no
 * answer). 408, 425, 429 and 5xx are transient, 401 is auth, other 4xx are
 * permanent. A Retry-After header on another 4xx makes it transient too:
 * some rate limiters answer 403 with one. Statuses below 400 are not
 * failures; if one reaches here it is an unexpected answer, so permanent.
 */
export function classifyHttpStatus(status: number, retryAfterHeader?: string | null): FailureKind {
  if (status === 0) return "transient";
  if (status === 401) return "auth";
  if (status === 408 || status === 425 || status === 429 || status >= 500) return "transient";
  if (status >= 400 && retryAfterHeader != null && retryAfterHeader.trim() !== "") {
    return "transient";
  }
  return "permanent";
}

/**
 * Parses a Retry-After header (delay-seconds or an HTTP date) into a delay
 * in milliseconds from `nowMs`. `undefined` when absent or malformed; a date
 * in the past gives 0.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only dates: Date.parse would also accept bare numbers like "-1" or "1.5".
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * A `QueueError` for a failed HTTP answer, for processors to throw: kind
 * from `classifyHttpStatus`, code `HTTP_<status>` (`NETWORK_ERROR` for 0),
 * `retryAfterMs` from the Retry-After header.
 */
export function httpQueueError(
  status: number,
  retryAfterHeader: string | null | undefined,
  nowMs: number,
  options: { message?: string; cause?: unknown } = {},
): QueueError {
  const kind = classifyHttpStatus(status, retryAfterHeader);
  const code = status === 0 ? "NETWORK_ERROR" : `HTTP_${status}`;
  const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
  return new QueueError(kind, code, options.message ?? `request failed with ${code}`, {
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
