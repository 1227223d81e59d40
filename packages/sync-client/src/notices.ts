import { v7 as uuidv7 } from "uuid";
import type { Notice, NoticeLevel } from "./types.js";

/** Messages to the person (rollbacks, dead letters, eviction, quota), until dismissed. */
export class Notices {
  readonly #now: () => number;
  readonly #onChange: () => void;
  #list: Notice[] = [];

  constructor(now: () => number, onChange: () => void) {
    this.#now = now;
    this.#onChange = onChange;
  }

  add(level: NoticeLevel, message: string): Notice {
    const notice: Notice = { id: uuidv7(), level, message, at: this.#now() };
    this.#list = [...this.#list, notice];
    this.#onChange();
    return notice;
  }

  has(message: string): boolean {
    return this.#list.some((notice) => notice.message === message);
  }

  /** A stable array until the next change, so it can be read during a render. */
  list(): Notice[] {
    return this.#list;
  }

  dismiss(id: string): void {
    const next = this.#list.filter((notice) => notice.id !== id);
    if (next.length === this.#list.length) return;
    this.#list = next;
    this.#onChange();
  }
}
