import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Backend } from "@sync/server/testing";
import postgres from "postgres";
import { waitFor } from "./wait-for.js";

const SERVER_ENTRY = fileURLToPath(new URL("../../../apps/server/src/index.ts", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface Process {
  readonly child: ChildProcess;
  readonly port: number;
}

const alive = (p: Process | undefined): p is Process =>
  p !== undefined && p.child.exitCode === null && p.child.signalCode === null;

/**
 * The real server as a child process (`node --import tsx apps/server/src/index.ts`) on a fresh
 * database of its own: a new Postgres database next to DATABASE_URL (dropped by `close`), or a
 * PGlite data directory on disk. `kill()` is SIGKILL; `start()` brings a server up again over
 * the same database. With Postgres a standby process boots in the background (a second server
 * on the same database, as in a multi-process deployment), so a restart does not wait for a
 * node + tsx boot; PGlite allows one process per data directory, so it reboots in place.
 */
export class ChildServer {
  readonly backend: Backend;
  /** Postgres only: a connection of the test's own to the server's database, for probes. */
  readonly sql: postgres.Sql | undefined;
  readonly databaseUrl: string | undefined;
  readonly #dataDir: string | undefined;
  readonly #adminUrl: string | undefined;
  readonly #dbName: string | undefined;
  #active: Process | undefined;
  #standby: Promise<Process> | undefined;
  #lastPort = 0;
  starts = 0;
  kills = 0;

  private constructor(backend: Backend, db: { url?: string; name?: string; dataDir?: string }) {
    this.backend = backend;
    this.databaseUrl = db.url;
    this.#dbName = db.name;
    this.#dataDir = db.dataDir;
    this.#adminUrl = process.env.DATABASE_URL;
    this.sql = db.url ? postgres(db.url, { max: 2, onnotice: () => {} }) : undefined;
  }

  static async create(backend: Backend): Promise<ChildServer> {
    if (backend === "pglite") {
      return new ChildServer(backend, { dataDir: mkdtempSync(join(tmpdir(), "sync-crash-")) });
    }
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) throw new Error("the postgres backend needs DATABASE_URL");
    const name = `sync_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database ${admin(name)}`;
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return new ChildServer(backend, { url: url.toString(), name });
  }

  /** Base URL of the live server (the last one while it is down: connections are refused). */
  get url(): string {
    return `http://127.0.0.1:${this.#active?.port ?? this.#lastPort}`;
  }

  /** Process id of the running server (for memory sampling), undefined while down. */
  get pid(): number | undefined {
    return alive(this.#active) ? this.#active.child.pid : undefined;
  }

  get running(): boolean {
    return alive(this.#active);
  }

  async #boot(): Promise<Process> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      SCRYPT_COST: "1024",
      GC_INTERVAL_MS: "0",
      LOG_LEVEL: "error",
      WEB_DIST_DIR: "/nonexistent",
      STREAM_RETRY_MS: "100",
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : { DATA_DIR: this.#dataDir }),
    };
    const child = spawn(process.execPath, ["--import", "tsx", SERVER_ENTRY], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
        try {
          return (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200;
        } catch {
          return false;
        }
      },
      () => `the child server to answer /api/health (${stderr})`,
      120_000,
    );
    return { child, port };
  }

  async start(): Promise<void> {
    if (this.running) return;
    const next = await (this.#standby ?? this.#boot());
    this.#standby = undefined;
    this.#active = next;
    this.#lastPort = next.port;
    this.starts++;
    if (this.backend === "postgres") {
      this.#standby = this.#boot();
      // Kept for the next start(); a failed boot surfaces there.
      this.#standby.catch(() => undefined);
    }
  }

  /** kill -9: no shutdown handler runs, open transactions die with their connections. */
  async kill(): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    if (!alive(active)) return;
    const exited = new Promise<void>((resolve) => active.child.once("exit", () => resolve()));
    active.child.kill("SIGKILL");
    this.kills++;
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    const standby = await this.#standby?.catch(() => undefined);
    this.#standby = undefined;
    if (alive(standby)) {
      const exited = new Promise<void>((resolve) => standby.child.once("exit", () => resolve()));
      standby.child.kill("SIGKILL");
      await exited;
    }
    await this.sql?.end({ timeout: 5 });
    if (this.#dataDir) rmSync(this.#dataDir, { recursive: true, force: true });
    if (this.#adminUrl && this.#dbName) {
      const admin = postgres(this.#adminUrl, { max: 1, onnotice: () => {} });
      await admin`drop database if exists ${admin(this.#dbName)} with (force)`;
      await admin.end();
    }
  }
}
