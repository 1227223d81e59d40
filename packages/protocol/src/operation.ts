import { z } from "zod";
import { clockMapSchema, fieldMapSchema, hlcSchema, nameSchema, uuidSchema } from "./primitives.js";

export const OP_KINDS = ["create", "update", "delete", "restore", "increment"] as const;
export const opKindSchema = z.enum(OP_KINDS);
export type OpKind = (typeof OP_KINDS)[number];

/**
 * One user intent on one record. `seq` increases per client; `(clientId, opId)` and
 * `(clientId, seq)` each identify it for deduplication.
 *
 * - create: every client-writable field's initial value
 * - update: only the changed fields
 * - delete / restore: no fields; set or clear the tombstone
 * - increment: counter fields with integer deltas
 *
 * `base` carries, for "ask the user" fields, the clock of the value the user saw.
 */
export const operationSchema = z.strictObject({
  opId: uuidSchema,
  clientId: uuidSchema,
  seq: z.number().int().positive(),
  entity: nameSchema,
  id: uuidSchema,
  kind: opKindSchema,
  fields: fieldMapSchema,
  base: clockMapSchema.optional(),
  hlc: hlcSchema,
});
export type Operation = z.infer<typeof operationSchema>;

export const rowSchema = z.strictObject({
  entity: nameSchema,
  id: uuidSchema,
  /** Server change sequence of the row's latest change: the pull cursor. */
  version: z.number().int().nonnegative(),
  fields: fieldMapSchema,
  clocks: clockMapSchema,
  deleted: z.boolean(),
});
export type Row = z.infer<typeof rowSchema>;

export const conflictSchema = z.strictObject({
  opId: uuidSchema,
  entity: nameSchema,
  id: uuidSchema,
  field: nameSchema,
  serverValue: z.unknown(),
  serverHlc: hlcSchema.nullable(),
  clientValue: z.unknown(),
  clientHlc: hlcSchema,
});
export type Conflict = z.infer<typeof conflictSchema>;
