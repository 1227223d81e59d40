import type { EngineCore, Session } from "./engine-core.js";
import { CLIENT_ERROR_CODES } from "./errors.js";
import {
  defaultKeyValueStorage,
  defaultStorageManager,
  type KeyValueStorage,
  quotaWarning,
  type StorageManagerLike,
  writeMarker,
} from "./storage-durability.js";

/** The browser around the engine (rule L12): online events, persist(), quota, eviction mirror. */

export function keyValueStorage(core: EngineCore): KeyValueStorage | null {
  const option = core.options.keyValueStorage;
  return option === undefined ? defaultKeyValueStorage() : option;
}

function storageManager(core: EngineCore): StorageManagerLike | null {
  const option = core.options.storageManager;
  return option === undefined ? defaultStorageManager() : option;
}

/** Listens to `online` / `offline`; returns the function that stops listening (or undefined). */
export function watchWindow(core: EngineCore, onOnline: () => void): (() => void) | undefined {
  const target = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };
  if (typeof target.addEventListener !== "function") return undefined;
  const offline = (): void => core.hooks.emitStatus();
  target.addEventListener("online", onOnline);
  target.addEventListener("offline", offline);
  return () => {
    target.removeEventListener?.("online", onOnline);
    target.removeEventListener?.("offline", offline);
  };
}

export function writeSessionMarker(core: EngineCore, session: Session): void {
  writeMarker(keyValueStorage(core), core.options.dbName, {
    createdAt: session.meta.createdAt,
    pending: session.queue.getState().pending,
  });
}

export function requestPersistence(core: EngineCore): void {
  const storage = storageManager(core);
  if (!storage?.persist) return;
  const ask = async (): Promise<void> => {
    if (storage.persisted && (await storage.persisted())) return;
    const granted = await storage.persist?.();
    if (granted === false) {
      core.notices.add(
        "info",
        "This browser may clear offline data when space runs low; sync regularly.",
      );
    }
  };
  ask().catch((error: unknown) => core.hooks.fail(error));
}

export function checkQuota(core: EngineCore): void {
  quotaWarning(storageManager(core))
    .then((warning) => {
      if (warning && !core.notices.has(warning)) core.notices.add("warning", warning);
    })
    .catch((error: unknown) => core.hooks.fail(error));
}

export function onStorageLost(core: EngineCore): void {
  core.net.lastError = {
    code: CLIENT_ERROR_CODES.storage,
    message: "the local database was closed by the browser",
  };
  core.notices.add("error", "The local database was closed by the browser; reload the page.");
  core.hooks.emitStatus();
}
