import type { FailureReason } from "./storage";

/**
 * How a failure is handled: `transient` is retried with backoff, `permanent`
 * dead-letters the entry, `auth` stops the queue until `resume()`.
 */
export type FailureKind = "transient" | "permanent" | "auth";

/** Codes the queue itself produces; processors bring their own codes. */
export const QUEUE_ERROR_CODES = {
  closed: "QUEUE_CLOSED",
  storageClosed: "STORAGE_CLOSED",
  storage: "STORAGE_ERROR",
  unknown: "UNKNOWN_ERROR",
  noProgress: "NO_PROGRESS",
  deadLetterNotFound: "DEAD_LETTER_NOT_FOUND",
} as const;

export interface QueueErrorOptions {
  retryAfterMs?: number;
  cause?: unknown;
}

/** The one error class of the queue: a kind for handling, a code for people and logs. */
export class QueueError extends Error {
  override name = "QueueError";
  readonly kind: FailureKind;
  readonly code: string;
  // `declare`: no own property at all when there is no delay.
  declare readonly retryAfterMs?: number;

  constructor(kind: FailureKind, code: string, message: string, options: QueueErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = code;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Anything a processor throws that is not a `QueueError` counts as transient (e.g. fetch's TypeError). */
export function toQueueError(error: unknown): QueueError {
  if (error instanceof QueueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new QueueError("transient", QUEUE_ERROR_CODES.unknown, message, { cause: error });
}

export function toFailureReason(error: QueueError): FailureReason {
  return { code: error.code, message: error.message };
}
