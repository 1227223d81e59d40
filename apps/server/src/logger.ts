import type { LogLevel } from "./config.js";

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON line per event on stderr, filtered by level. */
export function createLogger(level: LogLevel): Logger {
  const log =
    (at: Exclude<LogLevel, "silent">) => (message: string, data?: Record<string, unknown>) => {
      if (RANK[at] < RANK[level]) return;
      process.stderr.write(
        `${JSON.stringify({ level: at, time: Date.now(), message, ...data })}\n`,
      );
    };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
