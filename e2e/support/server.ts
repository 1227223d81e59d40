import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFreshDatabase, type FreshDatabase } from "./database.js";
import { SHARED_ENV } from "./shared-env.js";

const SERVER_DIR = fileURLToPath(new URL("../../apps/server/", import.meta.url));
// Generous: on a loaded 2-core machine tsx and PGlite alone can take half a minute.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL = 30_000;

/** The real server, run as a child process on its own port and database. */
export interface TestServer {
  /** Origin of the app and its API, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly database: string;
  /** Stops the process (SIGTERM, then SIGKILL), keeping the database. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database; resolves once /api/health answers ok. */
  start(): Promise<void>;
  restart(): Promise<void>;
  isRunning(): boolean;
  /** File with everything the process printed (readable from any worker). */
  readonly logFile: string;
  /** The end of that file. */
  logs(): string;
  /** Stops the process and drops the database. */
  dispose(): Promise<void>;
}

export async function launchServer(tag: string): Promise<TestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await createFreshDatabase(tag);
  let child: ChildProcess | null = null;
  const logFile = join(tmpdir(), `sync-e2e-server-${tag}-${port}.log`);
  const append = (chunk: Buffer | string) => appendFileSync(logFile, chunk);
  const log = () => tailOf(logFile);

  const start = async () => {
    if (child) throw new Error("server already running");
    append(`--- starting server on ${url} (${database.description})\n`);
    const proc = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: SERVER_DIR,
      env: serverEnv(port, database),
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc.stdout?.on("data", append);
    proc.stderr?.on("data", append);
    child = proc;
    proc.once("exit", () => {
      if (child === proc) child = null;
    });
    await waitForHealth(url, proc, log);
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) {
      child = null;
      return;
    }
    const exited = once(proc, "exit");
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    child = null;
  };

  try {
    await start();
  } catch (error) {
    await stop();
    await database.drop();
    await rm(logFile, { force: true }); // its tail is in the error
    throw error;
  }
  return {
    url,
    database: database.description,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    isRunning: () => child !== null,
    logFile,
    logs: log,
    dispose: async () => {
      await stop();
      await database.drop();
      await rm(logFile, { force: true });
    },
  };
}

/** A server another process launched (global setup): usable, but not to be stopped from here. */
export function attachServer(url: string, logFile: string): TestServer {
  const refuse = async () => {
    throw new Error("the shared server cannot be stopped: use test.use({ dedicatedServer: true })");
  };
  return {
    url,
    database: "shared",
    stop: refuse,
    start: refuse,
    restart: refuse,
    isRunning: () => true,
    logFile,
    logs: () => tailOf(logFile),
    dispose: async () => undefined,
  };
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-LOG_TAIL);
  } catch (error) {
    return `(no log at ${file}: ${String(error)})`;
  }
}

function serverEnv(port: number, database: FreshDatabase): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...database.env };
  // The child must not inherit the runner's admin database when it was given a fresh one.
  if (!database.env.DATABASE_URL) delete env.DATABASE_URL;
  return {
    ...env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    // Password hashing is not under test here; the default cost would dominate sign-up time.
    SCRYPT_COST: "1024",
    PORT: String(port),
    // The run's snapshot of apps/web/dist (global setup); the live folder when run without it.
    WEB_DIST_DIR:
      process.env[SHARED_ENV.webDist] ??
      fileURLToPath(new URL("../../apps/web/dist/", import.meta.url)),
  };
}

async function waitForHealth(url: string, proc: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(
        `server exited (${proc.exitCode ?? proc.signalCode}) before it was healthy:\n${logs()}`,
      );
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}: ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    // Polling a condition, not sleeping for a guess: the next probe waits for the event loop tick.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  proc.kill("SIGKILL");
  throw new Error(`server not healthy after ${START_TIMEOUT_MS} ms (${last}):\n${logs()}`);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  await once(probe, "close");
  if (!address || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}
