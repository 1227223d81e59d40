import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/**
 * Bundles the page for Chromium. esbuild comes through tsx (already a dependency of this
 * package, and built on esbuild), so the benchmark needs no bundler of its own.
 */
export async function bundlePage(entry: string): Promise<string> {
  const require = createRequire(fileURLToPath(import.meta.resolve("tsx/package.json")));
  const esbuild = require("esbuild") as EsbuildLike;
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}
