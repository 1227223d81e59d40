import {
  createMemoryQueueData,
  createMemoryQueueStorage,
  type MemoryQueueData,
} from "./memory-storage";
import type { QueueStorage } from "./storage";
import { type ContractItem, runQueueStorageContract } from "./testing/storage-contract";

const dataOf = new WeakMap<QueueStorage<ContractItem>, MemoryQueueData>();

runQueueStorageContract(
  "memory",
  async () => {
    const data = createMemoryQueueData();
    const storage = createMemoryQueueStorage<ContractItem>({ data });
    dataOf.set(storage, data);
    return storage;
  },
  async (closed) => {
    const data = dataOf.get(closed);
    if (!data) throw new Error("storage was not opened by this test");
    const storage = createMemoryQueueStorage<ContractItem>({ data });
    dataOf.set(storage, data);
    return storage;
  },
);
