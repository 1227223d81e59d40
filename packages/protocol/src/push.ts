import { z } from "zod";
import { errorCodeSchema } from "./errors.js";
import { LIMITS } from "./limits.js";
import { conflictSchema, operationSchema, rowSchema } from "./operation.js";
import { cursorSchema, hlcSchema, uuidSchema } from "./primitives.js";

export const pushRequestSchema = z
  .strictObject({
    protocolVersion: z.number().int().positive(),
    clientId: uuidSchema,
    ops: z.array(operationSchema).min(1).max(LIMITS.maxOpsPerPush),
  })
  .refine((req) => req.ops.every((op) => op.clientId === req.clientId), {
    message: "every operation must carry the request's clientId",
    path: ["ops"],
  })
  .refine((req) => req.ops.every((op, i) => i === 0 || op.seq > (req.ops[i - 1]?.seq ?? 0)), {
    message: "operations must be in increasing seq order",
    path: ["ops"],
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

const appliedResult = z.strictObject({
  opId: uuidSchema,
  seq: z.number().int().positive(),
  status: z.literal("applied"),
  /** Canonical row after the operation, with server-assigned values. */
  row: rowSchema,
  /** Set when the operation's HLC was too far ahead and the server re-stamped it. */
  restampedHlc: hlcSchema.optional(),
  conflicts: z.array(conflictSchema).optional(),
});

const rejectedResult = z.strictObject({
  opId: uuidSchema,
  seq: z.number().int().positive(),
  status: z.literal("rejected"),
  code: errorCodeSchema,
  message: z.string(),
});

const duplicateResult = z.strictObject({
  opId: uuidSchema,
  seq: z.number().int().positive(),
  status: z.literal("duplicate"),
  /** What the first delivery did; a duplicate changes nothing. */
  original: z.enum(["applied", "rejected"]),
  code: errorCodeSchema.optional(),
  message: z.string().optional(),
  /** Current canonical row, when it still exists and the caller may see it. */
  row: rowSchema.optional(),
});

export const opResultSchema = z.discriminatedUnion("status", [
  appliedResult,
  rejectedResult,
  duplicateResult,
]);
export type OpResult = z.infer<typeof opResultSchema>;
export type AppliedResult = z.infer<typeof appliedResult>;
export type RejectedResult = z.infer<typeof rejectedResult>;
export type DuplicateResult = z.infer<typeof duplicateResult>;

export const pushResponseSchema = z.strictObject({
  results: z.array(opResultSchema),
  /** Server wall time in ms when the response was made, for clock-offset estimation. */
  serverTime: z.number().int().nonnegative(),
  /** Newest change sequence after this push. */
  cursor: cursorSchema,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
