import { shoppingSchema } from "@sync/entities";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { ENTITY_TABLES, entityTable, SYNC_COLUMNS } from "../../sync/entity-tables.js";

const SQL_TYPE = {
  string: "text",
  boolean: "boolean",
  integer: "integer",
  ref: "uuid",
  timestamp: "bigint",
} as const;
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("entity tables", () => {
  it("[D1] every entity definition has exactly one table", () => {
    expect(ENTITY_TABLES.map((t) => t.definition.name).sort()).toEqual(
      shoppingSchema.entities.map((e) => e.name).sort(),
    );
  });

  it.each(shoppingSchema.entities.map((e) => [e.name, e] as const))(
    "[D1] %s columns match its definition (names, snake_case, types, not null)",
    (_name, definition) => {
      const { table, columns } = entityTable(definition.name);
      const config = getTableConfig(table);
      const expected = [...SYNC_COLUMNS, ...Object.keys(definition.fields)].sort();
      expect(Object.keys(columns).sort()).toEqual(expected);
      for (const [field, spec] of Object.entries(definition.fields)) {
        const column = config.columns.find((c) => c.name === snake(field));
        expect(column, `${definition.name}.${field}`).toBeDefined();
        expect(column?.getSQLType()).toBe(SQL_TYPE[spec.type]);
        expect(column?.notNull).toBe(!spec.nullable);
      }
      expect(config.columns.find((c) => c.name === "version")?.getSQLType()).toBe("bigint");
      expect(
        config.indexes.some((i) =>
          i.config.columns.some((c) => "name" in c && c.name === "version"),
        ),
      ).toBe(true);
    },
  );
});
