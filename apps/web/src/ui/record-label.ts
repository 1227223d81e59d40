import type { SyncClient } from "@sync/sync-client";
import { text } from "../view-model.js";

/** A readable name for the record an operation or conflict is about. */
export function recordLabel(
  client: SyncClient,
  entity: string,
  id: string,
  fields: Readonly<Record<string, unknown>> = {},
): string | null {
  const own = fields.text ?? fields.title;
  if (typeof own === "string" && own !== "") return own;
  const record = client.get(entity, id);
  if (!record) return null;
  const label = text(record, entity === "list" ? "title" : "text");
  return label === "" ? null : label;
}
