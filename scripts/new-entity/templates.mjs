// Source text of the files `pnpm new:entity` writes. Plain template literals: what you read here
// is what lands in the repository (biome formats it afterwards).

const FIELD_KINDS = {
  text: {
    builder: (merge) => `field.text({ ${merge === "ask" ? 'merge: "ask", ' : ""}maxLength: 500 })`,
    column: (col) => `text("${col}").notNull()`,
    pg: "text",
    sample: '"Hello"',
  },
  boolean: {
    builder: (merge) =>
      `field.boolean({ ${merge === "ask" ? 'merge: "ask", ' : ""}default: false })`,
    column: (col) => `boolean("${col}").notNull()`,
    pg: "boolean",
    sample: "true",
  },
  integer: {
    builder: (merge) =>
      `field.integer({ ${merge === "ask" ? 'merge: "ask", ' : ""}min: 0, max: 1_000_000, default: 0 })`,
    column: (col) => `integer("${col}").notNull()`,
    pg: "integer",
    sample: "42",
  },
  counter: {
    builder: () => "field.counter({ min: 0, max: 9_999, default: 0 })",
    column: (col) => `integer("${col}").notNull()`,
    pg: "integer",
    sample: null,
  },
};

export const KINDS = Object.keys(FIELD_KINDS);

export const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const pascal = (name) => name[0].toUpperCase() + name.slice(1);
export const kebab = (name) => snake(name).replaceAll("_", "-");

export function plural(name) {
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
}

/** Names derived from the entity name, one place so every template agrees. */
export function namesOf(name, owner) {
  const table = plural(name);
  return {
    name,
    owner,
    ownerField: `${owner}Id`,
    table, // drizzle variable, camelCase plural
    sqlTable: snake(table),
    file: kebab(name),
    tableFile: kebab(table),
    Pascal: pascal(name),
  };
}

export function definitionFile(n, fields) {
  const label = fields.find((f) => f.kind === "text")?.name;
  const lines = fields.map((f) => `    ${f.name}: ${FIELD_KINDS[f.kind].builder(f.merge)},`);
  return `import { defineEntity } from "./define.js";
import { field } from "./field.js";

/**
 * A ${n.name} of a ${n.owner}. One definition drives validation and merge on client and server and
 * the server's authorization (membership of its ${n.owner}). Its table is
 * apps/server/src/db/schema/${n.tableFile}.ts: change both together, the server's entity-columns
 * test fails while they differ.
 */
export const ${n.name} = defineEntity({
  name: "${n.name}",
  owner: { kind: "field", field: "${n.ownerField}" },
  clientWritable: true,
  fields: {
    ${n.ownerField}: field.ref("${n.owner}"),
${lines.join("\n")}
    createdBy: field.serverRef("user"),
    createdAt: field.serverTime(),
  },
${label ? `  label: "${label}",\n` : ""}  serverDefaults: (ctx) => ({ createdBy: ctx.userId, createdAt: ctx.now }),
  indexes: [["${n.ownerField}"]],
});
`;
}

export function definitionTestFile(n, fields) {
  const plain = fields.filter((f) => FIELD_KINDS[f.kind].sample !== null);
  const required = fields.filter((f) => f.kind === "text");
  const create = [
    `${n.ownerField}: OWNER`,
    ...required.map((f) => `${f.name}: ${FIELD_KINDS[f.kind].sample}`),
  ].join(", ");
  const first = plain[0];
  return `import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { applyOperation } from "./apply.js";
import { ${n.name} } from "./${n.file}.js";
import { shoppingSchema } from "./shopping.js";
import { validateOperation } from "./validate.js";

const OWNER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const USER = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c01";
const hlc = (wall: number) => \`\${wall.toString(36).padStart(9, "0")}0000aaaaaaaaaaa\`;

function op(kind: Operation["kind"], fields: Operation["fields"]): Operation {
  return {
    opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq: 1,
    entity: "${n.name}",
    id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
    kind,
    fields,
    hlc: hlc(1),
  };
}

const codeOf = (candidate: Operation) => {
  const result = validateOperation(shoppingSchema, candidate);
  return result.ok ? "ok" : result.code;
};

describe("${n.name}", () => {
  it("[E1] a create with its ${n.owner} and required fields is valid", () => {
    expect(codeOf(op("create", { ${create} }))).toBe("ok");
  });

  it("[E1] a create without its ${n.owner} is refused", () => {
    expect(codeOf(op("create", { ${required.map((f) => `${f.name}: ${FIELD_KINDS[f.kind].sample}`).join(", ")} }))).toBe(
      "VALIDATION",
    );
  });

  it("[E1] unknown and server-assigned fields are refused", () => {
    expect(codeOf(op("update", { nope: 1 }))).toBe("UNKNOWN_FIELD");
    expect(codeOf(op("update", { createdBy: USER }))).toBe("READ_ONLY_FIELD");
  });

  it("[M1] a create records who made it and when", () => {
    const result = applyOperation(${n.name}, undefined, op("create", { ${create} }), {
      serverValues: { createdBy: USER, createdAt: 5 },
    });
    expect(result.ok && result.state.fields).toMatchObject({ createdBy: USER, createdAt: 5 });
  });
${
  first
    ? `
  it("[E1] ${first.name} can be updated", () => {
    expect(codeOf(op("update", { ${first.name}: ${FIELD_KINDS[first.kind].sample} }))).toBe("ok");
  });
`
    : ""
}});
`;
}

export function tableFile(n, fields) {
  const all = [
    { name: n.ownerField, column: `uuid("${snake(n.ownerField)}").notNull()` },
    ...fields.map((f) => ({ name: f.name, column: FIELD_KINDS[f.kind].column(snake(f.name)) })),
    { name: "createdBy", column: 'uuid("created_by").notNull()' },
    { name: "createdAt", column: 'bigint("created_at", { mode: "number" }).notNull()' },
  ];
  const builders = new Set(["bigint", "index", "pgTable", "uuid"]);
  for (const f of fields) builders.add(FIELD_KINDS[f.kind].pg);
  return `import { ${[...builders].sort().join(", ")} } from "drizzle-orm/pg-core";
import { syncColumns } from "./sync-columns.js";

/**
 * Table of the \`${n.name}\` entity (packages/entities/src/${n.file}.ts), written out so it reads
 * like any drizzle schema. src/db/schema/entity-columns.test.ts checks it against the definition.
 */
export const ${n.table} = pgTable(
  "${n.sqlTable}",
  {
    ...syncColumns(),
${all.map((c) => `    ${c.name}: ${c.column},`).join("\n")}
  },
  (t) => [
    index("${n.sqlTable}_version_idx").on(t.version),
    index("${n.sqlTable}_${snake(n.ownerField)}_version_idx").on(t.${n.ownerField}, t.version),
  ],
);
`;
}

export function panelFile(n, fields) {
  const label = fields.find((f) => f.kind === "text")?.name;
  return `import { h, patchKeyed, setText, show } from "../dom.js";
import { byId${label ? ", text" : ""} } from "../view-model.js";
import type { Actions, RenderContext } from "./context.js";

export interface ${n.Pascal}Panel {
  readonly el: HTMLElement;
  update(context: RenderContext): void;
}

/**
 * The ${plural(n.name)} of one ${n.owner}: a generated starting point. Mount it in a screen
 * (\`body.append(panel.el)\` and \`panel.update(next)\` in its update), then shape it.
 */
export function create${n.Pascal}Panel(${n.ownerField}: string, actions: Actions): ${n.Pascal}Panel {
  let context: RenderContext | null = null;
  const input = h("input", { testid: "new-${n.file}-input", "aria-label": "New ${n.name}" });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "Add a ${n.name}" },
    [input, h("button", { type: "submit", testid: "new-${n.file}-submit" }, ["Add"])],
    {
      submit: (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value === "") return;
        input.value = "";
        void actions.run(async () => {
          await context?.client.create("${n.name}", { ${n.ownerField}, ${label ? `${label}: value` : ""} });
        }, "Could not add the ${n.name}");
      },
    },
  );
  const list = h("ul", { class: "items", "aria-label": "${pascal(plural(n.name))}" });
  const nodes = new Map<string, HTMLLIElement>();
  const el = h("section", { class: "card", testid: "${n.file}-panel" }, [
    h("h2", {}, ["${pascal(plural(n.name))}"]),
    form,
    list,
  ]);
  return {
    el,
    update(next) {
      context = next;
      const records = next.client
        .list("${n.name}", (r) => r.fields.${n.ownerField} === ${n.ownerField})
        .sort(byId);
      patchKeyed(
        list,
        nodes,
        records,
        (r) => r.id,
        () => h("li", { testid: "${n.file}" }),
        (li, r) => setText(li, ${label ? `text(r, "${label}")` : "r.id"}),
      );
      show(list, records.length > 0);
    },
  };
}
`;
}
