import type { ClockMap, Conflict, FieldMap, Operation, Row } from "@sync/protocol";
import { ErrorCode } from "@sync/protocol";
import { incomingWins } from "@sync/resolvers";
import { defaultValue, type EntityDefinition } from "./define.js";
import type { FieldSpec } from "./field.js";
import type { Rejection } from "./validate.js";

/** Clock key of the tombstone in a row's clock map. */
export const DELETED_CLOCK = "$deleted";

/** A row's state without its server version (the version is assigned when it is stored). */
export type RecordState = Omit<Row, "version">;

export interface Applied {
  readonly ok: true;
  readonly state: RecordState;
  /** False when the operation lost every field to newer writes: nothing to store or announce. */
  readonly changed: boolean;
  readonly conflicts: readonly Conflict[];
}

export interface ApplyOptions {
  /** The clock to record, when the server re-stamped the operation's own. */
  readonly hlc?: string;
  /** Values of server-assigned fields for a create (server side only). */
  readonly serverValues?: FieldMap;
  /**
   * Values of server-assigned fields for any operation that changes the record, set only
   * when it does (server side only; the definition's `serverOnChange`).
   */
  readonly changeValues?: FieldMap;
}

/**
 * Applies one validated operation to a record's current state (M1-M6). Pure and deterministic:
 * the server runs it to merge, the client runs it to replay pending operations on top of the
 * confirmed state, so both compute the same result from the same inputs.
 */
export function applyOperation(
  definition: EntityDefinition,
  current: RecordState | undefined,
  op: Operation,
  options: ApplyOptions = {},
): Applied | Rejection {
  const applied = applyChange(definition, current, op, options);
  const changeValues = options.changeValues;
  if (!applied.ok || !applied.changed || changeValues === undefined) return applied;
  const fields: FieldMap = { ...applied.state.fields, ...changeValues };
  return { ...applied, state: { ...applied.state, fields } };
}

function applyChange(
  definition: EntityDefinition,
  current: RecordState | undefined,
  op: Operation,
  options: ApplyOptions,
): Applied | Rejection {
  const hlc = options.hlc ?? op.hlc;
  if (op.kind === "create") return applyCreate(definition, current, op, hlc, options.serverValues);
  if (!current) {
    return {
      ok: false,
      code: ErrorCode.NOT_FOUND,
      message: `${op.entity} ${op.id} does not exist`,
    };
  }
  const fields: FieldMap = { ...current.fields };
  const clocks: ClockMap = { ...current.clocks };
  const conflicts: Conflict[] = [];
  let changed = false;
  let deleted = current.deleted;

  switch (op.kind) {
    case "update":
      for (const [name, value] of Object.entries(op.fields)) {
        const spec = definition.fields[name] as FieldSpec;
        const currentClock = clocks[name];
        if (spec.merge === "ask") {
          const sawCurrent = currentClock === undefined || op.base?.[name] === currentClock;
          if (!sawCurrent) {
            if (fields[name] === value) {
              // Both sides chose the same value: no conflict, keep the newer clock.
              if (incomingWins(currentClock, hlc)) {
                clocks[name] = hlc;
                changed = true;
              }
              continue;
            }
            // M3: the writer did not see the current value: keep it and ask the person.
            conflicts.push({
              opId: op.opId,
              entity: op.entity,
              id: op.id,
              field: name,
              serverValue: fields[name] ?? null,
              serverHlc: currentClock ?? null,
              clientValue: value,
              clientHlc: hlc,
            });
            continue;
          }
        } else if (!incomingWins(currentClock, hlc)) {
          continue; // M2: an older write loses to the field's newer clock.
        }
        if (fields[name] !== value || clocks[name] !== hlc) changed = true;
        fields[name] = value;
        clocks[name] = hlc;
      }
      break;
    case "increment":
      for (const [name, delta] of Object.entries(op.fields)) {
        // M4: counters commute; exactly-once comes from operation deduplication.
        fields[name] =
          (typeof fields[name] === "number" ? (fields[name] as number) : 0) + (delta as number);
        changed = true;
      }
      break;
    case "delete":
    case "restore":
      // M5: the tombstone is its own LWW register; edits never resurrect, a newer restore does.
      if (incomingWins(clocks[DELETED_CLOCK], hlc)) {
        clocks[DELETED_CLOCK] = hlc;
        deleted = op.kind === "delete";
        changed = true;
      }
      break;
  }
  return {
    ok: true,
    state: { entity: current.entity, id: current.id, fields, clocks, deleted },
    changed,
    conflicts,
  };
}

function applyCreate(
  definition: EntityDefinition,
  current: RecordState | undefined,
  op: Operation,
  hlc: string,
  serverValues: FieldMap | undefined,
): Applied | Rejection {
  if (current) {
    // M6: a create of an existing id merges like an update, but may not move the record.
    for (const [name, spec] of Object.entries(definition.fields)) {
      if (
        spec.merge === "immutable" &&
        Object.hasOwn(op.fields, name) &&
        op.fields[name] !== current.fields[name]
      ) {
        return {
          ok: false,
          code: ErrorCode.CONFLICT,
          message: `${op.entity} ${op.id} already exists elsewhere`,
        };
      }
    }
    const fields: FieldMap = { ...current.fields };
    const clocks: ClockMap = { ...current.clocks };
    let changed = false;
    for (const [name, value] of Object.entries(op.fields)) {
      const spec = definition.fields[name] as FieldSpec;
      if ((spec.merge === "lww" || spec.merge === "ask") && incomingWins(clocks[name], hlc)) {
        fields[name] = value;
        clocks[name] = hlc;
        changed = true;
      }
    }
    return { ok: true, state: { ...current, fields, clocks }, changed, conflicts: [] };
  }
  const fields: FieldMap = {};
  const clocks: ClockMap = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    const value = Object.hasOwn(op.fields, name)
      ? op.fields[name]
      : spec.merge === "server"
        ? serverValues?.[name]
        : defaultValue(spec);
    if (value === undefined) continue;
    fields[name] = value;
    if (spec.merge === "lww" || spec.merge === "ask") clocks[name] = hlc;
  }
  return {
    ok: true,
    state: { entity: op.entity, id: op.id, fields, clocks, deleted: false },
    changed: true,
    conflicts: [],
  };
}
