/**
 * Raw SSE subscribers in their own Node process, so reading their streams costs neither the
 * server's process nor the measuring one (on loopback they stand for other machines).
 * argv: url, token, count. Talks to the parent over IPC: ready -> counts -> close.
 */
import { openSse, type SseReader } from "./sse-reader.js";

const [url = "", token = "", countArg = "0"] = process.argv.slice(2);
const count = Number(countArg);
/** Events other than pings, per stream. */
const events = new Array<number>(count).fill(0);
const readers: SseReader[] = [];
for (let i = 0; i < count; i++) {
  readers.push(
    openSse(`${url}/api/sync/stream`, { authorization: `Bearer ${token}` }, (event) => {
      if (event !== "ping") events[i] = (events[i] ?? 0) + 1;
    }),
  );
}
const send = (message: unknown) => process.send?.(message);
process.on("message", (message: { type: string }) => {
  if (message.type === "counts") {
    send({ type: "counts", events: [...events] });
  } else if (message.type === "close") {
    for (const reader of readers) reader.close();
    send({ type: "closed" });
    process.exit(0);
  }
});
await Promise.all(readers.map((r) => r.opened));
send({ type: "ready" });
