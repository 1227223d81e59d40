import { EventEmitter } from "node:events";
import type { AppDeps } from "@sync/server";

type Notifier = AppDeps["notifier"];
type ChangeEvent = Parameters<Notifier["publish"]>[0];

/** In-process fan-out, like the server's own memory notifier (which it does not export). */
export function createMemoryNotifier(): Notifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit("change", event);
    },
    subscribe(listener: (event: ChangeEvent) => void) {
      emitter.on("change", listener);
      return () => emitter.off("change", listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
