import { type SQL, sql } from "drizzle-orm";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One array parameter (`= any(...)`) instead of one parameter per value as `in (...)` builds:
 * the same index scan, far less statement building for a 500-op batch. The literal is safe
 * because every element is checked to be a uuid or an integer.
 */
export function uuidArray(values: readonly string[]): SQL {
  for (const v of values) if (!UUID.test(v)) throw new Error(`not a uuid: ${v}`);
  return sql`${`{${values.join(",")}}`}::uuid[]`;
}

export function bigintArray(values: readonly number[]): SQL {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
  return sql`${`{${values.join(",")}}`}::bigint[]`;
}
