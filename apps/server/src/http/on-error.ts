import { ErrorCode, errorEnvelope } from "@sync/protocol";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "../logger.js";
import { ApiError } from "./api-error.js";

/** The single mapping from any thrown error to the `{ error: { code, message } }` envelope. */
export function errorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return c.json(errorEnvelope(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      const code =
        err.status === 413
          ? ErrorCode.PAYLOAD_TOO_LARGE
          : err.status === 401
            ? ErrorCode.UNAUTHORIZED
            : ErrorCode.BAD_REQUEST;
      const status = err.status >= 400 && err.status < 500 ? err.status : 400;
      return c.json(errorEnvelope(code, err.message || "bad request"), status);
    }
    logger.error("unhandled error", { path: c.req.path, error: String(err.stack ?? err) });
    return c.json(errorEnvelope(ErrorCode.INTERNAL, "internal server error"), 500);
  };
}
