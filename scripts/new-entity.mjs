#!/usr/bin/env node
// `pnpm new:entity <name> [field:kind[:ask]]...` adds a synced entity owned by a list: its
// definition and test (packages/entities), its drizzle table (apps/server), a UI stub
// (apps/web), and the three registrations. See docs/adding-an-entity.md.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { selfCheck } from "./new-entity/self-check.mjs";
import {
  definitionFile,
  definitionTestFile,
  KINDS,
  namesOf,
  panelFile,
  tableFile,
} from "./new-entity/templates.mjs";

const USAGE = `usage: pnpm new:entity <name> [field:kind[:ask]]... [--owner list] [--dry-run]
  kinds: ${KINDS.join(", ")}; ":ask" makes concurrent edits ask the person (default: last writer wins)
  example: pnpm new:entity note body:text:ask
  pnpm new:entity --self-check   generate a probe entity in a temp copy, then typecheck, lint, test it`;

const NAME = /^[a-z][a-zA-Z0-9]*$/;
const RESERVED = new Set([
  "id",
  "clocks",
  "deleted",
  "version",
  "updatedAt",
  "createdBy",
  "createdAt",
]);

export function parseFields(specs) {
  const fields = specs.map((spec) => {
    const [name = "", kind = "", merge = "lww", ...rest] = spec.split(":");
    if (!NAME.test(name) || RESERVED.has(name) || rest.length > 0) {
      throw new Error(`bad field "${spec}": use name:kind[:ask], lower camelCase name`);
    }
    if (!KINDS.includes(kind)) throw new Error(`bad kind in "${spec}": one of ${KINDS.join(", ")}`);
    if (merge !== "lww" && merge !== "ask") throw new Error(`bad merge in "${spec}": lww or ask`);
    if (merge === "ask" && kind === "counter") throw new Error(`${name}: counters always add up`);
    return { name, kind, merge };
  });
  return fields.length > 0 ? fields : [{ name: "title", kind: "text", merge: "lww" }];
}

/** The files to write and the edits to make, computed without touching the disk. */
export function plan(root, name, fieldSpecs, owner = "list") {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a lower camelCase entity name`);
  const n = namesOf(name, owner);
  const fields = parseFields(fieldSpecs);
  if (fields.some((f) => f.name === n.ownerField))
    throw new Error(`${n.ownerField} is added for you`);
  const at = (path) => join(root, path);
  const read = (path) => readFileSync(at(path), "utf8");
  const entities = "packages/entities/src";
  const creates = {
    [`${entities}/${n.file}.ts`]: definitionFile(n, fields),
    [`${entities}/${n.file}.test.ts`]: definitionTestFile(n, fields),
    [`apps/server/src/db/schema/${n.tableFile}.ts`]: tableFile(n, fields),
    [`apps/web/src/ui/${n.file}-panel.ts`]: panelFile(n, fields),
  };
  for (const path of Object.keys(creates)) {
    if (existsSync(at(path))) throw new Error(`${path} already exists: is "${name}" defined?`);
  }
  const sources = readdirSync(at(entities)).filter((f) => /(?<!\.test)\.ts$/.test(f));
  const defined = sources.some((f) => read(`${entities}/${f}`).includes(`name: "${name}"`));
  const tables = readdirSync(at("apps/server/src/db/schema")).map((f) =>
    read(`apps/server/src/db/schema/${f}`),
  );
  const taken = tables.some(
    (t) => t.includes(`pgTable("${n.sqlTable}"`) || t.includes(`const ${n.table} =`),
  );
  if (defined || taken || sources.includes(`${n.file}.ts`)) {
    throw new Error(`"${name}" (table ${n.sqlTable}) already exists`);
  }
  if (!new RegExp(`name: "${owner}"`).test(read(`${entities}/shopping.ts`))) {
    throw new Error(`no entity "${owner}" in ${entities}/shopping.ts to own ${name}`);
  }

  const edits = {
    [`${entities}/shopping.ts`]: (s) =>
      prependImport(
        replaceOnce(
          s,
          /defineSchema\(\[([^\]]*)\]\)/,
          (_m, names) => `defineSchema([${names.trim()}, ${name}])`,
        ),
        `import { ${name} } from "./${n.file}.js";`,
      ),
    [`${entities}/index.ts`]: (s) => `${s}export { ${name} } from "./${n.file}.js";\n`,
    "apps/server/src/db/schema/index.ts": (s) =>
      `${s}export { ${n.table} } from "./${n.tableFile}.js";\n`,
    "apps/server/src/sync/entity-tables.ts": (s) =>
      prependImport(
        prependImport(
          replaceOnce(
            s,
            /(export const ENTITY_TABLES[^=]*=\s*\[)([\s\S]*?)(\n\];)/,
            (_m, open, body, close) => `${open}${body}\n  entry(${name}, ${n.table}),${close}`,
          ),
          `import { ${n.table} } from "../db/schema/index.js";`,
        ),
        `import { ${name} } from "@sync/entities";`,
      ),
  };
  const changes = { ...creates };
  for (const [path, edit] of Object.entries(edits)) changes[path] = edit(read(path));
  return { n, fields, creates: Object.keys(creates), edits: Object.keys(edits), changes };
}

function replaceOnce(source, pattern, replacer) {
  if (!pattern.test(source)) throw new Error(`could not find ${pattern} to register the entity`);
  return source.replace(pattern, replacer);
}

/** Adds an import after the last one; biome's import organizer merges and sorts afterwards. */
function prependImport(source, line) {
  const imports = [...source.matchAll(/^import [\s\S]*?;\n/gm)];
  const last = imports.at(-1);
  const end = last ? last.index + last[0].length : 0;
  return `${source.slice(0, end)}${line}\n${source.slice(end)}`;
}

/** Writes everything or nothing: on any failure the files are put back as they were. */
export function write(root, planned, { format = true } = {}) {
  const paths = Object.keys(planned.changes);
  const before = new Map(
    paths.map((p) => [p, existsSync(join(root, p)) ? readFileSync(join(root, p), "utf8") : null]),
  );
  try {
    for (const path of paths) writeFileSync(join(root, path), planned.changes[path]);
    if (format) formatFiles(root, paths);
  } catch (error) {
    for (const [path, text] of before) {
      if (text === null) rmSync(join(root, path), { force: true });
      else writeFileSync(join(root, path), text);
    }
    throw error;
  }
  return paths;
}

function formatFiles(root, paths) {
  const biome = join(root, "node_modules/.bin/biome");
  try {
    execFileSync(biome, ["check", "--write", "--vcs-enabled=false", ...paths], {
      cwd: root,
      stdio: "pipe",
    });
  } catch (error) {
    throw new Error(
      `biome refused the new files (nothing written):\n${error.stdout}${error.stderr}`,
    );
  }
}

function nextSteps(planned) {
  const { n } = planned;
  return `
Next steps:
  1. Shape the definition (fields, limits, merge): packages/entities/src/${n.file}.ts
     and keep its table in step:                    apps/server/src/db/schema/${n.tableFile}.ts
  2. Generate the migration:  pnpm --filter @sync/server db:generate --name ${n.name}
  3. Run the tests:           pnpm --filter @sync/entities test
                              pnpm --filter @sync/server test
  4. Mount the UI stub apps/web/src/ui/${n.file}-panel.ts in a screen, then
                              pnpm --filter @sync/web typecheck
  Walk-through: docs/adding-an-entity.md`;
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      owner: { type: "string", default: "list" },
      "dry-run": { type: "boolean", default: false },
      "self-check": { type: "boolean", default: false },
      root: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const root = resolve(values.root ?? join(dirname(new URL(import.meta.url).pathname), ".."));
  if (values["self-check"]) return selfCheck(root, { plan, write });
  const [name, ...fieldSpecs] = positionals;
  if (values.help || !name) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  const planned = plan(root, name, fieldSpecs, values.owner);
  if (values["dry-run"]) {
    for (const [path, text] of Object.entries(planned.changes)) console.log(`--- ${path}\n${text}`);
    console.log("(dry run: nothing written)");
    return;
  }
  write(root, planned);
  console.log(`Added entity "${name}":`);
  for (const path of planned.creates) console.log(`  created  ${relative(root, join(root, path))}`);
  for (const path of planned.edits) console.log(`  updated  ${path}`);
  console.log(nextSteps(planned));
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  try {
    main();
  } catch (error) {
    console.error(`new:entity: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
