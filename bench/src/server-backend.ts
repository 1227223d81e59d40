/** Which database the test server uses: real Postgres when DATABASE_URL is set, embedded PGlite otherwise. */
export function serverBackend(): "postgres" | "pglite" {
  return process.env.DATABASE_URL ? "postgres" : "pglite";
}
