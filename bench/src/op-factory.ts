import { createNodeId, HybridClock } from "@sync/clock";
import type { FieldMap, Operation, OpKind } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";

/** Builds valid operations the way a client does: UUIDv7 ids, increasing seq, HLC stamps. */
export interface OpFactory {
  readonly clientId: string;
  op(entity: string, id: string, kind: OpKind, fields: FieldMap): Operation;
  /** A list create followed by `count` item creates in it. */
  listWithItems(count: number): { listId: string; ops: Operation[] };
}

export function createOpFactory(clientId: string = uuidv7()): OpFactory {
  const clock = new HybridClock({ node: createNodeId() });
  let seq = 0;
  const op = (entity: string, id: string, kind: OpKind, fields: FieldMap): Operation => {
    seq += 1;
    return { opId: uuidv7(), clientId, seq, entity, id, kind, fields, hlc: clock.now() };
  };
  return {
    clientId,
    op,
    listWithItems(count) {
      const listId = uuidv7();
      const ops = [op("list", listId, "create", { title: "Groceries" })];
      for (let i = 0; i < count; i++) {
        ops.push(
          op("item", uuidv7(), "create", { listId, text: `item ${i} of the shopping list` }),
        );
      }
      return { listId, ops };
    },
  };
}

/** Splits `values` into consecutive chunks of at most `size`. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}
