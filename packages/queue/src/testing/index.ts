/**
 * Test helpers for code that uses or implements the queue. Test code only:
 * the contract suite imports vitest.
 */
export { createManualClock, type ManualClock } from "./manual-clock";
export {
  type ContractItem,
  type OpenContractStorage,
  type ReopenContractStorage,
  runQueueStorageContract,
} from "./storage-contract";
