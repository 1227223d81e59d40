import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const here = import.meta.dirname;

/** Modules the main entry can reach: everything in src/ except the ./idb and ./testing entries and tests. */
const coreModules = readdirSync(here).filter(
  (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
);

describe("main entry boundary", () => {
  it("core modules never touch indexedDB, window, process or idb (the core runs in Node)", () => {
    expect(coreModules).toContain("index.ts");
    for (const name of coreModules) {
      const source = readFileSync(join(here, name), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      // `process` alone is the Processor option; the Node global is only ever used as `process.x`.
      expect(source, name).not.toMatch(
        /\bindexedDB\b|\bwindow\b|\bprocess\.|from "idb"|from "\.\/(idb|testing)/,
      );
    }
  });
});
