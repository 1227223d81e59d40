import type { SQL } from "drizzle-orm";
import type { Queryable } from "./types.js";

/**
 * Runs a raw (parameterized) statement and returns its rows. postgres.js answers an array,
 * PGlite an object with `rows`: this hides the difference.
 */
export async function executeRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
