import { EventEmitter } from "node:events";
import type { ChangeEvent } from "../sync/change-event.js";
import type { Notifier } from "./notifier.js";

/** In-process notifier: one server process (embedded PGlite mode, tests). */
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
