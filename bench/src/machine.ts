import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** One-minute load average when the run started: others may share the CPU. */
  readonly loadAverage: number;
  readonly packages: Readonly<Record<string, string>>;
}

/** Versions of the libraries the figures depend on, read from the installed package.json files. */
const PACKAGES = ["yjs", "postgres", "fake-indexeddb", "@playwright/test", "tsx"] as const;

export function describeMachine(): MachineInfo {
  const list = cpus();
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) packages[name] = installedVersion(name);
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    packages,
  };
}

function installedVersion(name: string): string {
  try {
    const url = import.meta.resolve(`${name}/package.json`);
    const json = JSON.parse(readFileSync(fileURLToPath(url), "utf8")) as { version?: string };
    return json.version ?? "unknown";
  } catch {
    // Some packages do not export package.json; fall back to the workspace's node_modules.
    const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
    const json = JSON.parse(readFileSync(path, "utf8")) as { version?: string };
    return json.version ?? "unknown";
  }
}
