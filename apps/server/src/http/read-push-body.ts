import {
  COMPACT_PUSH_CONTENT_TYPE,
  CompactPushError,
  decodeCompactPush,
  ErrorCode,
  LIMITS,
} from "@sync/protocol";
import type { Context } from "hono";
import { ApiError } from "./api-error.js";
import { JSON_TYPE, readJsonBody } from "./read-json.js";

const COMPACT_TYPE = new RegExp(
  `^${COMPACT_PUSH_CONTENT_TYPE.replace(/[.+]/g, "\\$&")}\\s*(;|$)`,
  "i",
);

export const tooManyOperations = (got: number) =>
  new ApiError(
    413,
    ErrorCode.TOO_MANY_OPERATIONS,
    `at most ${LIMITS.maxOpsPerPush} operations per push`,
    { details: { max: LIMITS.maxOpsPerPush, got } },
  );

/**
 * A push body in either encoding, as the unvalidated object JSON.parse would give: the route
 * then runs the same checks and schema on both. 415 for any other content type; a compact
 * body that is not one is 400 BAD_REQUEST, and one with too many operations is 413, counted
 * from its columns before any operation is built.
 */
export async function readPushBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (JSON_TYPE.test(type)) return readJsonBody(c);
  if (!COMPACT_TYPE.test(type)) {
    throw new ApiError(
      415,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `expected Content-Type: application/json or ${COMPACT_PUSH_CONTENT_TYPE}`,
    );
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    return decodeCompactPush(bytes, { maxOps: LIMITS.maxOpsPerPush });
  } catch (error) {
    if (!(error instanceof CompactPushError)) throw error;
    if (error.reason === "too-many-operations") throw tooManyOperations(error.details?.got ?? 0);
    throw new ApiError(400, ErrorCode.BAD_REQUEST, error.message, { cause: error });
  }
}
