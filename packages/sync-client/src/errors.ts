/** Codes the client raises itself; server codes (ErrorCode in @sync/protocol) pass through as they are. */
export const CLIENT_ERROR_CODES = {
  notStarted: "NOT_STARTED",
  stopped: "STOPPED",
  storage: "STORAGE_ERROR",
  network: "NETWORK_ERROR",
  badResponse: "BAD_RESPONSE",
  http: "HTTP_ERROR",
  conflictNotFound: "CONFLICT_NOT_FOUND",
} as const;

/** The one error class of the client: a code to switch on, the original error as `cause`. */
export class SyncClientError extends Error {
  override name = "SyncClientError";
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function errorInfo(error: unknown): { code: string; message: string } {
  if (error instanceof SyncClientError) return { code: error.code, message: error.message };
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    return { code: error.code, message: error instanceof Error ? error.message : String(error) };
  }
  return {
    code: CLIENT_ERROR_CODES.storage,
    message: error instanceof Error ? error.message : String(error),
  };
}
