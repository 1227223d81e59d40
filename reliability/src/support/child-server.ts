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

/**
 * The real server as a child process (`node --import tsx apps/server/src/index.ts`) on a fresh
 * database of its own: a new Postgres database next to DATABASE_URL (dropped by `close`), or a
 * PGlite data directory on disk. `kill()` is SIGKILL; `start()` boots it again on the same port
 * and database.
 */
export class ChildServer {
  readonly backend: Backend;
  readonly port: number;
  readonly url: string;
  /** Postgres only: a connection of the test's own to the server's database, for probes. */
  readonly sql: postgres.Sql | undefined;
  readonly databaseUrl: string | undefined;
  readonly #dataDir: string | undefined;
  readonly #adminUrl: string | undefined;
  readonly #dbName: string | undefined;
  #child: ChildProcess | undefined;
  starts = 0;
  kills = 0;

  private constructor(
    backend: Backend,
    port: number,
    db: { url?: string; name?: string; dataDir?: string },
  ) {
    this.backend = backend;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.databaseUrl = db.url;
    this.#dbName = db.name;
    this.#dataDir = db.dataDir;
    this.#adminUrl = process.env.DATABASE_URL;
    this.sql = db.url ? postgres(db.url, { max: 2, onnotice: () => {} }) : undefined;
  }

  static async create(backend: Backend): Promise<ChildServer> {
    const port = await freePort();
    if (backend === "pglite") {
      return new ChildServer(backend, port, {
        dataDir: mkdtempSync(join(tmpdir(), "sync-crash-")),
      });
    }
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) throw new Error("the postgres backend needs DATABASE_URL");
    const name = `sync_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database ${admin(name)}`;
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return new ChildServer(backend, port, { url: url.toString(), name });
  }

  /** Process id of the running server (for memory sampling), undefined while down. */
  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    return (
      this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  async start(): Promise<void> {
    if (this.running) return;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      PORT: String(this.port),
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
    this.#child = child;
    this.starts++;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
        try {
          const res = await fetch(`${this.url}/api/health`);
          return res.status === 200;
        } catch {
          return false;
        }
      },
      () => `the child server to answer /api/health (${stderr})`,
      120_000,
    );
  }

  /** kill -9: no shutdown handler runs, open transactions die with their connections. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    this.kills++;
    await exited;
    this.#child = undefined;
  }

  async close(): Promise<void> {
    await this.kill();
    await this.sql?.end({ timeout: 5 });
    if (this.#dataDir) rmSync(this.#dataDir, { recursive: true, force: true });
    if (this.#adminUrl && this.#dbName) {
      const admin = postgres(this.#adminUrl, { max: 1, onnotice: () => {} });
      await admin`drop database if exists ${admin(this.#dbName)} with (force)`;
      await admin.end();
    }
  }
}
