import { openDB } from "idb";

/**
 * A tiny IndexedDB database the service worker can read (it has no localStorage): which user
 * database a Background Sync should drain.
 */
const META_DB = "shoplist-meta";
const STORE = "kv";
const LAST_DB = "lastDbName";

function open() {
  return openDB(META_DB, 1, { upgrade: (db) => void db.createObjectStore(STORE) });
}

export async function setLastDbName(dbName: string | null): Promise<void> {
  const db = await open();
  try {
    if (dbName === null) await db.delete(STORE, LAST_DB);
    else await db.put(STORE, dbName, LAST_DB);
  } finally {
    db.close();
  }
}

export async function getLastDbName(): Promise<string | null> {
  const db = await open();
  try {
    const value: unknown = await db.get(STORE, LAST_DB);
    return typeof value === "string" ? value : null;
  } finally {
    db.close();
  }
}
