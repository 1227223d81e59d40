import { createApp } from "./app.js";
import { connectDatabase } from "./db/connect.js";
import { EnvError, loadConfig } from "./env.js";
import { createLogger } from "./logger.js";
import { createMemoryNotifier } from "./notifier/memory-notifier.js";
import { createPgNotifier } from "./notifier/pg-notifier.js";
import { startHttpServer } from "./serve.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = config.databaseUrl
    ? await connectDatabase({ kind: "postgres", url: config.databaseUrl })
    : await connectDatabase({ kind: "pglite", dataDir: config.dataDir });
  const notifier = database.sql ? await createPgNotifier(database.sql) : createMemoryNotifier();
  const server = createApp({ db: database.db, notifier, config, logger });
  const http = await startHttpServer(server.app, { port: config.port, host: config.host });
  logger.info("listening", {
    url: `http://${config.host}:${http.port}`,
    database: database.kind === "postgres" ? "postgres" : `pglite:${config.dataDir}`,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    const closed = http.close(); // stop accepting first
    await server.close(); // finish pushes, end streams (so the HTTP server can close)
    await closed;
    await notifier.close();
    await database.close();
    logger.info("stopped");
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error("shutdown failed", { error: String(error) });
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof EnvError ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
