import type { EntityDefinition } from "./define.js";

/** The set of entities an app syncs, looked up by wire name. */
export interface EntitySchema {
  readonly entities: readonly EntityDefinition[];
  get(name: string): EntityDefinition | undefined;
}

export function defineSchema(entities: readonly EntityDefinition[]): EntitySchema {
  const byName = new Map<string, EntityDefinition>();
  for (const entity of entities) {
    if (byName.has(entity.name)) throw new Error(`entity "${entity.name}" defined twice`);
    byName.set(entity.name, entity);
  }
  for (const entity of entities) {
    for (const [name, spec] of Object.entries(entity.fields)) {
      if (spec.type === "ref" && spec.ref !== "user" && spec.ref && !byName.has(spec.ref)) {
        throw new Error(`${entity.name}.${name} refers to unknown entity "${spec.ref}"`);
      }
    }
  }
  return { entities, get: (name) => byName.get(name) };
}
