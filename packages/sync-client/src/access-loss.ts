import type { EntitySchema } from "@sync/entities";
import type { Row } from "@sync/protocol";
import type { EngineCore, Session } from "./engine-core.js";

const MEMBERSHIP = "membership";

/**
 * Rule L17: lists this user lost, by the pulled rows. The server sends a user their own
 * membership rows, tombstones included; the latest row per list in the page decides (a rejoin
 * after a removal keeps the list).
 */
export function lostLists(rows: readonly Row[], userId: string | undefined): string[] {
  if (userId === undefined) return [];
  const latest = new Map<string, Row>();
  for (const row of rows) {
    if (row.entity !== MEMBERSHIP || row.fields.userId !== userId) continue;
    const listId = row.fields.listId;
    if (typeof listId !== "string") continue;
    const seen = latest.get(listId);
    if (!seen || seen.version <= row.version) latest.set(listId, row);
  }
  return [...latest].filter(([, row]) => row.deleted).map(([listId]) => listId);
}

/**
 * Drops the confirmed rows scoped to these lists (the lists and everything owned through
 * them) in one transaction, and tells the person. Pending operations on them stay: the server
 * rejects them as for any non-member, which dead-letters them as usual.
 */
export async function dropLists(
  core: EngineCore,
  session: Session,
  listIds: readonly string[],
): Promise<void> {
  const gone = new Set(listIds);
  const all = await session.store.allRows();
  const dropped = all.filter((row) => inScope(core.schema, row, gone));
  if (dropped.length === 0) return;
  const kept = all.filter((row) => !inScope(core.schema, row, gone));
  await session.store.deleteRows(dropped.map((row) => [row.entity, row.id] as const));
  core.hooks.recompute(core.view.replaceConfirmed(kept));
  core.hooks.changed("all");
  for (const row of dropped) {
    if (!gone.has(row.id) || core.schema.get(row.entity)?.owner.kind !== "root") continue;
    const label = core.schema.get(row.entity)?.label;
    const name = label ? row.fields[label] : undefined;
    const what = typeof name === "string" ? `"${name}"` : `a ${row.entity}`;
    core.notices.add(
      "info",
      `You no longer have access to ${what}: it was removed from this device.`,
    );
  }
}

/** A root record whose id is one of the lists, or a record owned through one of them. */
function inScope(schema: EntitySchema, row: Row, lists: ReadonlySet<string>): boolean {
  const owner = schema.get(row.entity)?.owner;
  if (!owner) return false;
  if (owner.kind === "root") return lists.has(row.id);
  const scope = row.fields[owner.field];
  return typeof scope === "string" && lists.has(scope);
}
