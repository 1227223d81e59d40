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
    if (entity.owner.kind === "field") {
      // The server checks membership of the owner field's value as a list id: the owner must be
      // a root entity. Deeper records (a comment on an item) carry the root's id themselves.
      const target = entity.fields[entity.owner.field]?.ref;
      const root = target === undefined ? undefined : byName.get(target);
      if (root?.owner.kind !== "root") {
        throw new Error(
          `${entity.name}.${entity.owner.field} must refer to a root entity (owner: root)`,
        );
      }
    }
    for (const [name, spec] of Object.entries(entity.fields)) {
      if (spec.type === "ref" && spec.ref !== "user" && spec.ref && !byName.has(spec.ref)) {
        throw new Error(`${entity.name}.${name} refers to unknown entity "${spec.ref}"`);
      }
    }
  }
  return { entities, get: (name) => byName.get(name) };
}
