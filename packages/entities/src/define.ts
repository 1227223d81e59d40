import type { FieldMap, FieldValue } from "@sync/protocol";
import type { FieldSpec } from "./field.js";

/** Where a record's membership check goes: its own id is a list id, or a field points to one. */
export type Ownership =
  | { readonly kind: "root" }
  | { readonly kind: "field"; readonly field: string };

export interface ServerContext {
  readonly now: number;
  readonly userId: string;
  /** A fresh random code of the protocol's invite-code length. */
  readonly randomCode: () => string;
}

export interface EntityDefinition<F extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  /** Entity name on the wire, lower camelCase. */
  readonly name: string;
  readonly fields: F;
  readonly owner: Ownership;
  /** False for entities only the server writes (memberships). */
  readonly clientWritable: boolean;
  /** Values of `server` fields, computed once at create. */
  readonly serverDefaults?: (ctx: ServerContext) => FieldMap;
  /** Index hints for local and server stores: field lists. */
  readonly indexes?: readonly (readonly string[])[];
}

export function defineEntity<F extends Record<string, FieldSpec>>(
  definition: EntityDefinition<F>,
): EntityDefinition<F> {
  if (definition.owner.kind === "field") {
    const ownerField = definition.fields[definition.owner.field];
    if (ownerField?.type !== "ref") {
      throw new Error(
        `${definition.name}: owner field ${definition.owner.field} must be a ref field`,
      );
    }
  }
  return definition;
}

/** Values a record of this entity shows before anything is known, for a create's defaults. */
export function defaultValue(spec: FieldSpec): FieldValue | undefined {
  if (spec.default !== undefined) return spec.default;
  if (spec.nullable) return null;
  return undefined;
}
