#!/usr/bin/env node
// Enforces the dependency rules of docs/architecture.md: which workspace packages may use which,
// and that nothing reachable from a package's main entry touches browser or Node globals.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..");

/** Workspace dependencies each package may have at runtime (dependencies) and in tests (devDependencies). */
const ALLOWED = {
  "@sync/protocol": { runtime: [], dev: [] },
  "@sync/clock": { runtime: [], dev: [] },
  "@sync/resolvers": { runtime: ["@sync/clock"], dev: [] },
  "@sync/queue": { runtime: ["@sync/protocol"], dev: [] },
  "@sync/entities": { runtime: ["@sync/protocol", "@sync/clock", "@sync/resolvers"], dev: [] },
  "@sync/sync-client": {
    runtime: ["@sync/protocol", "@sync/clock", "@sync/resolvers", "@sync/entities", "@sync/queue"],
    // Integration tests run against the real server.
    dev: ["@sync/server"],
  },
  "@sync/server": {
    runtime: ["@sync/protocol", "@sync/clock", "@sync/resolvers", "@sync/entities"],
    dev: [],
  },
  "@sync/web": { runtime: ["@sync/sync-client", "@sync/entities", "@sync/protocol"], dev: [] },
  // Besides the Playwright suites: the storage adapters' contracts in a real browser.
  "@sync/e2e": { runtime: [], dev: ["@sync/sync-client", "@sync/queue"] },
  "@sync/bench": { runtime: "*", dev: "*" },
  // Black-box fault simulation and hostile-input suites over the real server and client.
  "@sync/reliability": { runtime: [], dev: "*" },
};

/** Packages whose main entry must run anywhere (Node, browser, worker). */
const PORTABLE = ["protocol", "clock", "resolvers", "queue", "entities", "sync-client"];
// A bare global access (not `options.indexedDB`, not a `globalThis.x` feature check, not a type).
const FORBIDDEN_GLOBALS =
  /(?<![.\w$])(indexedDB|window|document|localStorage|process)\s*(\.|\?\.|\[|\()/;

const problems = [];
const dirs = ["apps", "packages"].flatMap((d) =>
  readdirSync(join(root, d)).map((name) => join(root, d, name)),
);
dirs.push(join(root, "e2e"), join(root, "bench"), join(root, "reliability"));

for (const dir of dirs) {
  const file = join(dir, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  const rules = ALLOWED[pkg.name];
  if (!rules) {
    problems.push(`${pkg.name}: not listed in scripts/check-deps.mjs`);
    continue;
  }
  for (const [field, allowed] of [
    ["dependencies", rules.runtime],
    ["devDependencies", rules.dev],
  ]) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      if (!dep.startsWith("@sync/") || allowed === "*") continue;
      const ok =
        allowed.includes(dep) || (field === "devDependencies" && rules.runtime.includes(dep));
      if (!ok) problems.push(`${pkg.name}: may not depend on ${dep} (${field})`);
    }
  }
}

for (const name of PORTABLE) {
  const entry = join(root, "packages", name, "src", "index.ts");
  if (!existsSync(entry)) continue;
  const seen = new Set();
  const walk = (path) => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    const source = readFileSync(path, "utf8");
    const noComments = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const code = noComments.replace(/"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
    const hit = code.match(FORBIDDEN_GLOBALS);
    // A module that feature-checks the global (`typeof window`) before use is portable.
    if (hit && !new RegExp(`typeof\\s+${hit[1]}\\b`).test(code)) {
      problems.push(
        `@sync/${name}: ${path.slice(root.length + 1)} uses ${hit[1]} (main entry must be portable)`,
      );
    }
    for (const m of noComments.matchAll(/from\s+"(\.[^"]+)"/g)) {
      walk(join(dirname(path), m[1].replace(/\.js$/, ".ts")));
    }
  };
  walk(entry);
}

if (problems.length > 0) {
  console.error(`dependency rules broken:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("dependency rules hold");
