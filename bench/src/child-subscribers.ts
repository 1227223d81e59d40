import { forkScript, nextMessage } from "./child-server.js";

/** Raw SSE subscribers living in a process of their own (sse-subscribers-child.ts). */
export interface ChildSubscribers {
  /** Events other than pings each stream has received so far. */
  counts(): Promise<number[]>;
  close(): Promise<void>;
}

/** Opens `count` plain streams of the token's user; resolves once every one is open. */
export async function startChildSubscribers(
  url: string,
  token: string,
  count: number,
): Promise<ChildSubscribers> {
  const child = forkScript("sse-subscribers-child.ts", [url, token, String(count)]);
  await nextMessage(child, "ready");
  return {
    async counts() {
      const reply = nextMessage<{ events: number[] }>(child, "counts");
      child.send({ type: "counts" });
      return (await reply).events;
    },
    async close() {
      const closed = nextMessage(child, "closed");
      child.send({ type: "close" });
      await closed;
    },
  };
}
