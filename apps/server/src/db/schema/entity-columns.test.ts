import { shoppingSchema } from "@sync/entities";
import { getTableConfig, type IndexedColumn } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { ENTITY_TABLES, entityTable, SYNC_COLUMNS } from "../../sync/entity-tables.js";

// Generic over the schema: a new entity is checked here as soon as it is registered.
const SQL_TYPE = {
  string: "text",
  boolean: "boolean",
  integer: "integer",
  ref: "uuid",
  timestamp: "bigint",
} as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const indexedColumns = (columns: readonly (IndexedColumn | unknown)[]) =>
  columns.map((c) => (c && typeof c === "object" && "name" in c ? String(c.name) : "?"));

describe("entity tables", () => {
  it("[D1] every entity definition has exactly one table", () => {
    expect(ENTITY_TABLES.map((t) => t.definition.name).sort()).toEqual(
      shoppingSchema.entities.map((e) => e.name).sort(),
    );
  });

  describe.each(shoppingSchema.entities.map((e) => [e.name, e] as const))("%s", (_, definition) => {
    const { table, columns } = entityTable(definition.name);
    const config = getTableConfig(table);

    it("[D1] columns match the definition (names, snake_case, types, not null)", () => {
      const expected = [...SYNC_COLUMNS, ...Object.keys(definition.fields)].sort();
      expect(Object.keys(columns).sort()).toEqual(expected);
      for (const [field, spec] of Object.entries(definition.fields)) {
        const column = config.columns.find((c) => c.name === snake(field));
        expect(column, `${definition.name}.${field}`).toBeDefined();
        expect(column?.getSQLType()).toBe(SQL_TYPE[spec.type]);
        expect(column?.notNull).toBe(!spec.nullable);
      }
      expect(config.columns.find((c) => c.name === "version")?.getSQLType()).toBe("bigint");
    });

    it("[D1] pull, join and authorization have their indexes: version, (owner, version), declared ones", () => {
      const indexes = config.indexes.map((i) => indexedColumns(i.config.columns).join(","));
      // Pull reads each list's rows in version order (sync/pull-query.ts).
      const wanted = [
        "version",
        ...(definition.owner.kind === "field" ? [`${snake(definition.owner.field)},version`] : []),
      ];
      for (const columnList of wanted) expect(indexes, columnList).toContain(columnList);
      // A declared index is served by any btree whose leading columns are its columns.
      for (const fields of definition.indexes ?? []) {
        const prefix = fields.map(snake).join(",");
        expect(
          indexes.some((i) => i === prefix || i.startsWith(`${prefix},`)),
          prefix,
        ).toBe(true);
      }
    });
  });
});
