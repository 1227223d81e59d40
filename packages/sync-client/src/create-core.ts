import { ConflictNotices } from "./conflict-notices.js";
import { RejectionNotices } from "./dead-letter-notices.js";
import type { EngineCore, EngineHooks } from "./engine-core.js";
import { Notices } from "./notices.js";
import { defaultTimers } from "./timers.js";
import { createHttpTransport } from "./transport.js";
import type { SyncClientOptions } from "./types.js";
import { ViewModel } from "./view-model.js";

/** The shared state of one client, with its defaults filled in; nothing opened yet. */
export function createCore(
  options: SyncClientOptions,
  tabId: string,
  hooks: EngineHooks,
): EngineCore {
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const notices = new Notices(now, () => hooks.emitStatus());
  return {
    options,
    schema: options.schema,
    now,
    timers: options.timers ?? defaultTimers,
    random: options.random ?? Math.random,
    transport: createHttpTransport({
      baseUrl: options.baseUrl,
      fetch: fetchImpl,
      now,
      ...(options.headers ? { headers: options.headers } : {}),
    }),
    tabId,
    notices,
    conflictNotices: new ConflictNotices(notices),
    rejections: new RejectionNotices(notices),
    restamps: new Map(),
    view: new ViewModel(options.schema),
    net: {
      leader: false,
      networkUp: true,
      signedOut: false,
      lastSyncedAt: null,
      pulledOnce: false,
      lastError: null,
      shared: undefined,
      storageEvicted: false,
    },
    hooks,
    session: undefined,
    conflicts: [],
    deadLetterIds: new Set(),
    deadLetterCount: 0,
    pushed: 0,
    writes: 0,
    conflictWrites: 0,
    enqueuing: 0,
  };
}
