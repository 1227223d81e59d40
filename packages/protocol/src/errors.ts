import { z } from "zod";

/** Error codes are data: clients switch on these, never on message text. */
export const ErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  INVALID_JSON: "INVALID_JSON",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_OPERATIONS: "TOO_MANY_OPERATIONS",
  VALIDATION: "VALIDATION",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  NOT_A_MEMBER: "NOT_A_MEMBER",
  UNKNOWN_ENTITY: "UNKNOWN_ENTITY",
  UNKNOWN_FIELD: "UNKNOWN_FIELD",
  READ_ONLY_FIELD: "READ_ONLY_FIELD",
  SERVER_OWNED: "SERVER_OWNED",
  CLIENT_MISMATCH: "CLIENT_MISMATCH",
  CONFLICT: "CONFLICT",
  DEPENDENCY_FAILED: "DEPENDENCY_FAILED",
  RESET_REQUIRED: "RESET_REQUIRED",
  CLIENT_TOO_OLD: "CLIENT_TOO_OLD",
  CLIENT_TOO_NEW: "CLIENT_TOO_NEW",
  USERNAME_TAKEN: "USERNAME_TAKEN",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  INVALID_INVITE: "INVALID_INVITE",
  RATE_LIMITED: "RATE_LIMITED",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const errorCodeValues = Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]];
export const errorCodeSchema = z.enum(errorCodeValues);

export const errorEnvelopeSchema = z.strictObject({
  error: z.strictObject({
    code: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export function errorEnvelope(code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return details === undefined
    ? { error: { code, message } }
    : { error: { code, message, details } };
}
