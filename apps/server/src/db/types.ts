import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.js";

/** The drizzle handle every module uses, whichever driver (postgres.js or PGlite) is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction (or savepoint) handle: the same query surface as {@link Db}. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Either a database or a transaction: what read and write helpers accept. */
export type Queryable = Db | Tx;
