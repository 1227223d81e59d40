import { ErrorCode, FORBIDDEN_KEYS, LIMITS, type Operation } from "@sync/protocol";
import type { EntityDefinition } from "./define.js";
import type { FieldSpec } from "./field.js";
import type { EntitySchema } from "./schema.js";
import { cachedValueSchema } from "./value-schema.js";

export type Rejection = { readonly ok: false; readonly code: ErrorCode; readonly message: string };
export type Validated = { readonly ok: true; readonly definition: EntityDefinition };

const reject = (code: ErrorCode, message: string): Rejection => ({ ok: false, code, message });

/**
 * Checks one operation against its entity definition (E1): known entity and fields, the
 * right kind of field for the operation's kind, and every value within its limits. Pure, so
 * the client runs the same check before queueing that the server runs before applying.
 */
export function validateOperation(schema: EntitySchema, op: Operation): Validated | Rejection {
  const definition = schema.get(op.entity);
  if (!definition) return reject(ErrorCode.UNKNOWN_ENTITY, `unknown entity "${op.entity}"`);
  if (!definition.clientWritable) {
    return reject(ErrorCode.SERVER_OWNED, `entity "${op.entity}" is written by the server only`);
  }
  const names = Object.keys(op.fields);
  for (const name of names) {
    if (FORBIDDEN_KEYS.has(name) || !Object.hasOwn(definition.fields, name)) {
      return reject(ErrorCode.UNKNOWN_FIELD, `unknown field "${op.entity}.${name}"`);
    }
  }
  const kindCheck = checkKind(definition, op, names);
  if (kindCheck) return kindCheck;
  for (const name of names) {
    const spec = definition.fields[name] as FieldSpec;
    const value = op.fields[name];
    if (op.kind === "increment") {
      if (
        !Number.isSafeInteger(value) ||
        value === 0 ||
        Math.abs(value as number) > LIMITS.maxCounterDelta
      ) {
        return reject(
          ErrorCode.VALIDATION,
          `${op.entity}.${name}: increment must be a non-zero integer of at most ${LIMITS.maxCounterDelta}`,
        );
      }
      continue;
    }
    const parsed = cachedValueSchema(spec).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reject(
        ErrorCode.VALIDATION,
        `${op.entity}.${name}: ${issue?.message ?? "invalid value"}`,
      );
    }
  }
  if (op.base) {
    for (const name of Object.keys(op.base)) {
      if (definition.fields[name]?.merge !== "ask" || !Object.hasOwn(op.fields, name)) {
        return reject(
          ErrorCode.VALIDATION,
          `base clock given for "${name}", which is not an ask field of this operation`,
        );
      }
    }
  }
  return { ok: true, definition };
}

function checkKind(
  definition: EntityDefinition,
  op: Operation,
  names: string[],
): Rejection | undefined {
  const fields = definition.fields;
  switch (op.kind) {
    case "create": {
      for (const name of names) {
        if ((fields[name] as FieldSpec).merge === "server") {
          return reject(
            ErrorCode.READ_ONLY_FIELD,
            `${op.entity}.${name} is assigned by the server`,
          );
        }
      }
      for (const [name, spec] of Object.entries(fields)) {
        const required = spec.merge !== "server" && spec.default === undefined && !spec.nullable;
        if (required && !Object.hasOwn(op.fields, name)) {
          return reject(ErrorCode.VALIDATION, `${op.entity}.${name} is required on create`);
        }
      }
      return undefined;
    }
    case "update": {
      if (names.length === 0)
        return reject(ErrorCode.VALIDATION, "an update needs at least one field");
      for (const name of names) {
        const merge = (fields[name] as FieldSpec).merge;
        if (merge === "counter") {
          return reject(
            ErrorCode.VALIDATION,
            `${op.entity}.${name} is a counter: send an increment`,
          );
        }
        if (merge !== "lww" && merge !== "ask") {
          return reject(ErrorCode.READ_ONLY_FIELD, `${op.entity}.${name} cannot be updated`);
        }
      }
      return undefined;
    }
    case "increment": {
      if (names.length === 0)
        return reject(ErrorCode.VALIDATION, "an increment needs at least one field");
      for (const name of names) {
        if ((fields[name] as FieldSpec).merge !== "counter") {
          return reject(ErrorCode.VALIDATION, `${op.entity}.${name} is not a counter`);
        }
      }
      return undefined;
    }
    case "delete":
    case "restore":
      return names.length === 0
        ? undefined
        : reject(ErrorCode.VALIDATION, `a ${op.kind} carries no fields`);
  }
}
