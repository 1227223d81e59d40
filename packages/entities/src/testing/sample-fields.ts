import type { FieldMap, FieldValue } from "@sync/protocol";
import type { EntityDefinition } from "../define.js";
import type { FieldSpec } from "../field.js";

/**
 * The smallest valid create of an entity: every required field with a value inside its limits,
 * the owner ref pointing at `ownerId`. Lets tests cover every entity of a schema generically,
 * so a new entity is exercised without a test of its own.
 */
export function sampleCreateFields(definition: EntityDefinition, ownerId: string): FieldMap {
  const fields: FieldMap = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    if (spec.merge === "server" || spec.default !== undefined || spec.nullable) continue;
    fields[name] = sampleValue(spec, ownerId, name);
  }
  return fields;
}

/** A valid value of a field that differs from its default, e.g. for an update. */
export function sampleValue(spec: FieldSpec, ownerId: string, seed = "sample"): FieldValue {
  switch (spec.type) {
    case "string": {
      const text = `${seed} ${ownerId.slice(-4)}`.padEnd(spec.minLength ?? 0, "x");
      return text.slice(0, spec.maxLength ?? text.length);
    }
    case "boolean":
      return spec.default !== true;
    case "integer": {
      const min = spec.min ?? 0;
      return spec.default === min ? Math.min(min + 1, spec.max ?? min + 1) : min;
    }
    case "ref":
      return ownerId;
    case "timestamp":
      return 0;
  }
}
