import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { createFreshDatabase, type FreshDatabase } from "./database.js";
import { WEB_SNAPSHOT_ENV } from "./global-setup.js";

const SERVER_DIR = fileURLToPath(new URL("../../apps/server/", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 200_000;

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
  /** Everything the process printed, newest last (bounded). */
  logs(): string;
  /** Stops the process and drops the database. */
  dispose(): Promise<void>;
}

export async function launchServer(tag: string): Promise<TestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await createFreshDatabase(tag);
  let child: ChildProcess | null = null;
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_LIMIT);
  };

  const start = async () => {
    if (child) throw new Error("server already running");
    log += `\n--- starting server on ${url} (${database.description})\n`;
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
    await waitForHealth(url, proc, () => log);
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

  await start();
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
    logs: () => log,
    dispose: async () => {
      await stop();
      await database.drop();
    },
  };
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
      process.env[WEB_SNAPSHOT_ENV] ??
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
