// `pnpm new:entity --self-check`: proves the generator's output passes lint, typecheck and the
// tests as it stands, in a throwaway copy of the repository (the checkout is never touched).
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const PROBE = ["probeThing", "title:text:ask", "done:boolean", "score:integer", "hits:counter"];

function copyRepo(root) {
  const copy = mkdtempSync(join(tmpdir(), "new-entity-"));
  try {
    fillCopy(root, copy);
  } catch (error) {
    rmSync(copy, { recursive: true, force: true });
    throw error;
  }
  return copy;
}

function fillCopy(root, copy) {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: root, encoding: "utf8" },
  )
    .split("\0")
    .filter((f) => f !== "" && !/(^|\/)node_modules(\/|$)/.test(f) && existsSync(join(root, f)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  // Workspace node_modules hold relative symlinks: copied as links, they resolve inside the copy.
  const workspaces = ["apps", "packages"].flatMap((dir) =>
    readdirSync(join(root, dir)).map((name) => join(dir, name)),
  );
  for (const pkg of workspaces.filter((p) => existsSync(join(root, p, "node_modules")))) {
    cpSync(join(root, pkg, "node_modules"), join(copy, pkg, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !/\.vite/.test(src),
    });
  }
}

function step(label, cwd, command, args) {
  process.stdout.write(`  ${label} ... `);
  try {
    execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    console.log("ok");
  } catch (error) {
    console.log("FAILED");
    console.error(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    throw new Error(`self-check failed at: ${label}`);
  }
}

export function selfCheck(root, { plan, write }) {
  const copy = copyRepo(root);
  console.log(`self-check in ${copy}: pnpm new:entity ${PROBE.join(" ")}`);
  try {
    const planned = plan(copy, PROBE[0], PROBE.slice(1));
    const paths = write(copy, planned);
    const bin = (name, dir = copy) => join(dir, "node_modules/.bin", name);
    step("biome check (generated and edited files)", copy, bin("biome"), [
      "check",
      "--vcs-enabled=false",
      ...paths,
    ]);
    for (const pkg of ["packages/entities", "apps/server", "apps/web"]) {
      step(`typecheck ${pkg}`, join(copy, pkg), bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
    }
    const entities = join(copy, "packages/entities");
    step("entities tests (probe test + entity laws)", entities, bin("vitest", entities), [
      "run",
      `src/${planned.n.file}.test.ts`,
      "src/entity-laws.test.ts",
    ]);
    const server = join(copy, "apps/server");
    step("drizzle-kit generate (migration of the new table)", server, bin("drizzle-kit", server), [
      "generate",
    ]);
    step(
      "server: table matches definition, push/pull/join/authorization",
      server,
      bin("vitest", server),
      ["run", "src/db/schema/entity-columns.test.ts", "src/sync/entity-roundtrip.test.ts"],
    );
    console.log("self-check passed");
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
