import { ErrorCode } from "@sync/protocol";
import { ApiError } from "../http/api-error.js";

/** Counts running pushes so shutdown can let them finish; refuses new ones once draining. */
export class InFlight {
  #running = 0;
  #draining = false;
  #idle: (() => void)[] = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#draining) {
      throw new ApiError(503, ErrorCode.UNAVAILABLE, "the server is shutting down; retry shortly", {
        headers: { "Retry-After": "1" },
      });
    }
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  drain(): Promise<void> {
    this.#draining = true;
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
