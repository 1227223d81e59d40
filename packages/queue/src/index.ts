export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff";
export { classifyHttpStatus, httpQueueError, parseRetryAfter } from "./http-failure";
export {
  createMemoryQueueData,
  createMemoryQueueStorage,
  type MemoryQueueData,
  type MemoryQueueStorageOptions,
} from "./memory-storage";
export type { EntryOutcome } from "./outcomes";
export { type Processor, Queue, type QueueOptions, type QueueTimers } from "./queue";
export {
  type FailureKind,
  QUEUE_ERROR_CODES,
  QueueError,
  type QueueErrorOptions,
  toQueueError,
} from "./queue-error";
export type { QueueState, QueueStatus } from "./queue-state";
export type { DeadLetter, FailureReason, QueueEntry, QueueStorage } from "./storage";
