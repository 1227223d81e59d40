import { upgradeQueueStores } from "@sync/queue/idb";
import type { IDBPDatabase } from "idb";

export const STORES = {
  confirmed: "confirmed",
  pending: "pending",
  dead: "dead",
  conflicts: "conflicts",
  meta: "meta",
} as const;

type UpgradeStep = (db: IDBPDatabase<unknown>) => void;

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
];

export const DB_VERSION = UPGRADE_STEPS.length;

export function runUpgrades(db: IDBPDatabase<unknown>, oldVersion: number): void {
  for (let version = oldVersion; version < UPGRADE_STEPS.length; version++) {
    UPGRADE_STEPS[version]?.(db);
  }
}
