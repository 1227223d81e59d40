import { fileURLToPath } from "node:url";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Everything the server can be configured with; `env.ts` builds it from the environment. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Real Postgres when set; embedded PGlite in `dataDir` otherwise. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Built web app served on the same origin when the folder exists. */
  readonly webDistDir: string;
  /** An operation HLC further ahead of the server clock than this is re-stamped (K1). */
  readonly maxDriftMs: number;
  /** Tombstones older than this are garbage-collected (G1). */
  readonly tombstoneRetentionMs: number;
  /** Period of the GC timer; 0 disables the timer (runGc still works). */
  readonly gcIntervalMs: number;
  /** SSE ping period. */
  readonly heartbeatMs: number;
  /** SSE `retry:` hint sent to clients. */
  readonly streamRetryMs: number;
  /** scrypt N (a power of two). */
  readonly scryptCost: number;
  readonly cookieSecure: boolean;
  readonly sessionTtlMs: number;
  /** Failed signins allowed per username+IP in one window before 429. */
  readonly signinMaxAttempts: number;
  readonly signinWindowMs: number;
  readonly logLevel: LogLevel;
}

export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8787,
  host: "127.0.0.1",
  databaseUrl: undefined,
  dataDir: ".data",
  webDistDir: DEFAULT_WEB_DIST_DIR,
  maxDriftMs: 60_000,
  tombstoneRetentionMs: 30 * 24 * 3600_000,
  gcIntervalMs: 3600_000,
  heartbeatMs: 25_000,
  streamRetryMs: 3_000,
  scryptCost: 16_384,
  cookieSecure: false,
  sessionTtlMs: 30 * 24 * 3600_000,
  signinMaxAttempts: 10,
  signinWindowMs: 15 * 60_000,
  logLevel: "info",
};

export function makeConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...DEFAULT_CONFIG, ...overrides };
}
