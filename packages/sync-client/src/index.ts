export type { SharedStatus, TabMessage } from "./channel.js";
export { createDependents } from "./dependents.js";
export { CLIENT_ERROR_CODES, SyncClientError } from "./errors.js";
export { fetchEventSource } from "./fetch-event-source.js";
export {
  alwaysLeader,
  createMemoryLeaderElection,
  defaultLeader,
  webLocksLeader,
} from "./leader.js";
export type { Acknowledgement, LocalStore, StoredConflict, StoredMeta } from "./local-store.js";
export {
  createMemoryLocalData,
  createMemoryLocalStore,
  type MemoryLocalData,
} from "./memory-local-store.js";
export type { PendingOp } from "./pending-op.js";
export type { KeyValueStorage, StorageManagerLike } from "./storage-durability.js";
export { createSyncClient } from "./sync-client.js";
export { createHttpTransport, type Transport, TransportError } from "./transport.js";
export type {
  ChannelLike,
  ConflictChoice,
  ConflictView,
  DeadLetterView,
  EditBase,
  EntitySchema,
  EventSourceLike,
  Leader,
  Notice,
  NoticeLevel,
  SyncClient,
  SyncClientOptions,
  SyncState,
  SyncStatus,
  UpdateOptions,
  ViewRecord,
} from "./types.js";
