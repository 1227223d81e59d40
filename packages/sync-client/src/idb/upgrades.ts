import { upgradeQueueStores } from "@sync/queue/idb";
import type { IDBPDatabase } from "idb";

export const STORES = {
  confirmed: "confirmed",
  pending: "pending",
  dead: "dead",
  conflicts: "conflicts",
  meta: "meta",
} as const;

/** Index of the confirmed store by row version (see apply-pull.ts). */
export const CONFIRMED_BY_VERSION = "by-version";

/** A step runs inside the upgrade's versionchange transaction, which it gets to change old stores. */
type UpgradeStep = (db: IDBPDatabase<unknown>, tx: IDBTransaction) => void;

/**
 * Schema upgrade steps: step i takes the database from version i to i + 1. Append a step for
 * every schema change; never edit a released one (browsers upgrade from any older version).
 */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [
  (db) => {
    db.createObjectStore(STORES.confirmed, { keyPath: ["entity", "id"] });
    upgradeQueueStores(db, STORES.pending, STORES.dead);
    db.createObjectStore(STORES.conflicts, { keyPath: "key" });
    db.createObjectStore(STORES.meta);
  },
  // A pulled page asks which stored rows are at least as new as it by one range read of this
  // index, instead of a get per row (most of an initial sync's time).
  (_db, tx) => {
    tx.objectStore(STORES.confirmed).createIndex(CONFIRMED_BY_VERSION, "version");
  },
];

export const DB_VERSION = UPGRADE_STEPS.length;

export function runUpgrades(
  db: IDBPDatabase<unknown>,
  oldVersion: number,
  tx: IDBTransaction,
): void {
  for (let version = oldVersion; version < UPGRADE_STEPS.length; version++) {
    UPGRADE_STEPS[version]?.(db, tx);
  }
}
