import type { EntitySchema } from "@sync/entities";
import type { QueueEntry } from "@sync/queue";
import type { PendingOp } from "./pending-op.js";
import { recordKey } from "./record-key.js";

/**
 * Rule L7: when a create is rejected, every queued operation that needs that record fails with
 * it, in one group: later edits of the record, and creates of records that point to it through
 * a ref field (an item of a list that never existed), with their own edits, transitively.
 */
export function createDependents(
  schema: EntitySchema,
): (
  failed: QueueEntry<PendingOp>,
  pending: readonly QueueEntry<PendingOp>[],
) => QueueEntry<PendingOp>[] {
  return (failed, pending) => {
    if (failed.item.kind !== "create") return [];
    const dead = new Set([recordKey(failed.item.entity, failed.item.id)]);
    const picked: QueueEntry<PendingOp>[] = [];
    for (const entry of [...pending].sort((a, b) => a.seq - b.seq)) {
      if (entry.seq < failed.seq) continue;
      const key = recordKey(entry.item.entity, entry.item.id);
      if (dead.has(key) || (entry.item.kind === "create" && refersTo(schema, entry.item, dead))) {
        dead.add(key);
        picked.push(entry);
      }
    }
    return picked;
  };
}

function refersTo(schema: EntitySchema, op: PendingOp, dead: ReadonlySet<string>): boolean {
  const definition = schema.get(op.entity);
  if (!definition) return false;
  return Object.entries(definition.fields).some(([name, spec]) => {
    const value = op.fields[name];
    return spec.type === "ref" && spec.ref !== undefined && typeof value === "string"
      ? dead.has(recordKey(spec.ref, value))
      : false;
  });
}
