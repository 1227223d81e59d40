import { shoppingSchema } from "@sync/entities";
import type { SyncClient } from "@sync/sync-client";
import { text } from "../view-model.js";

/**
 * A readable name for the record an operation or conflict is about: its definition's `label`
 * field, else (a list's note) the name of the record that owns it.
 */
export function recordLabel(
  client: SyncClient,
  entity: string,
  id: string,
  fields: Readonly<Record<string, unknown>> = {},
): string | null {
  const definition = shoppingSchema.get(entity);
  const record = client.get(entity, id);
  const labelField = definition?.label;
  if (labelField) {
    const own = fields[labelField];
    if (typeof own === "string" && own !== "") return own;
    const label = record ? text(record, labelField) : "";
    return label === "" ? null : label;
  }
  if (definition?.owner.kind !== "field") return null;
  const ownerField = definition.owner.field;
  const ownerEntity = definition.fields[ownerField]?.ref;
  const ownerId = fields[ownerField] ?? record?.fields[ownerField];
  return ownerEntity && typeof ownerId === "string"
    ? recordLabel(client, ownerEntity, ownerId)
    : null;
}
