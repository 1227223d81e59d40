/** Hand-over from global setup to the workers, which inherit the runner's environment. */
export const SHARED_ENV = {
  /** The run's snapshot of apps/web/dist. */
  webDist: "E2E_WEB_DIST_DIR",
  /** Origin and log file of the server the tests share. */
  serverUrl: "E2E_SERVER_URL",
  serverLog: "E2E_SERVER_LOG",
} as const;
