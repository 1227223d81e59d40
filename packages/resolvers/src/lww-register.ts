import { HlcFormatError, isHlcString } from "@sync/clock";
import type { Stamped } from "./lww.js";
import { lwwJoin } from "./lww-join.js";

/** The winning write, or null for a register never written. */
export type LWWRegisterState<T> = Stamped<T> | null;

/**
 * Last-writer-wins register (R6): holds the value of the write with the greatest HLC. The HLC
 * order ends with the node id, so concurrent writes in the same millisecond still have one winner.
 */
export class LWWRegister<T> {
  readonly #entry: Stamped<T> | null;

  private constructor(entry: Stamped<T> | null) {
    this.#entry = entry;
  }

  static empty<T>(): LWWRegister<T> {
    return new LWWRegister<T>(null);
  }

  static fromJSON<T>(state: LWWRegisterState<T>): LWWRegister<T> {
    if (state !== null) checkHlc(state.hlc);
    return new LWWRegister(state === null ? null : { value: state.value, hlc: state.hlc });
  }

  /** Write `value` at `hlc`; an older write than the current one changes nothing. */
  set(value: T, hlc: string): LWWRegister<T> {
    checkHlc(hlc);
    return this.merge(new LWWRegister({ value, hlc }));
  }

  value(): T | undefined {
    return this.#entry?.value;
  }

  hlc(): string | undefined {
    return this.#entry?.hlc;
  }

  merge(other: LWWRegister<T>): LWWRegister<T> {
    if (other.#entry === null) return this;
    if (this.#entry === null) return other;
    return lwwJoin(this.#entry, other.#entry) === this.#entry ? this : other;
  }

  toJSON(): LWWRegisterState<T> {
    return this.#entry;
  }
}

function checkHlc(hlc: string): void {
  if (!isHlcString(hlc)) throw new HlcFormatError(`not an encoded HLC: ${String(hlc)}`);
}
