import type { TestServer } from "@sync/server/testing";
import { createNodeClient, whenStatus } from "../node-client.js";

export interface ClientDrain {
  /** Offline writes made before the budget ran out (at most the requested count). */
  readonly ops: number;
  readonly localWriteMs: number;
  readonly drainMs: number;
  readonly pendingAfter: number;
  readonly deadLetters: number;
}

/**
 * The real queue: a sync client (fake-indexeddb) writes offline, then goes online and drains;
 * timed from going online until nothing is pending.
 */
export async function drainThroughClient(
  server: TestServer,
  count: number,
  budgetMs: number,
): Promise<ClientDrain> {
  const session = await server.signup();
  const node = createNodeClient(server.url, session, { online: false });
  await node.client.start();
  try {
    const start = performance.now();
    const listId = await node.client.create("list", { title: "Offline trip" });
    let ops = 1;
    while (ops < count && performance.now() - start < budgetMs) {
      await node.client.create("item", { listId, text: `item ${ops} of the shopping list` });
      ops += 1;
    }
    const localWriteMs = performance.now() - start;
    const online = performance.now();
    node.setOnline(true);
    await node.client.syncNow();
    await whenStatus(
      node.client,
      (s) => s.pendingCount === 0 || s.deadLetterCount > 0,
      300_000,
      "the queue to drain",
    );
    const drainMs = performance.now() - online;
    const status = node.client.getStatus();
    return {
      ops,
      localWriteMs,
      drainMs,
      pendingAfter: status.pendingCount,
      deadLetters: status.deadLetterCount,
    };
  } finally {
    await node.client.stop();
  }
}
