import { ErrorCode } from "@sync/protocol";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error class routes throw; `app.onError` turns it into the envelope. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const unauthorized = () =>
  new ApiError(401, ErrorCode.UNAUTHORIZED, "sign in first: missing, expired or revoked session");
