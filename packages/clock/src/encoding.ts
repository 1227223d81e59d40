/**
 * Wire and storage form of a hybrid logical clock timestamp: 24 ASCII characters,
 * fixed width, so plain string comparison equals {@link compareHlc} (rule H3).
 *
 *   wall    9 chars base36  milliseconds since the Unix epoch (good until year 5138)
 *   counter 4 chars base36  logical counter within one millisecond (max 1,679,615)
 *   node   11 chars [0-9a-z] the replica that made the timestamp; breaks ties
 */
export interface Hlc {
  readonly wall: number;
  readonly counter: number;
  readonly node: string;
}

export const HLC_LENGTH = 24;
export const WALL_WIDTH = 9;
export const COUNTER_WIDTH = 4;
export const NODE_ID_LENGTH = 11;
export const MAX_WALL = 36 ** WALL_WIDTH - 1;
export const MAX_COUNTER = 36 ** COUNTER_WIDTH - 1;

const NODE_ID = /^[0-9a-z]{11}$/;
const ENCODED = /^[0-9a-z]{24}$/;

export class HlcFormatError extends Error {
  readonly code = "HLC_FORMAT";
  constructor(message: string) {
    super(message);
    this.name = "HlcFormatError";
  }
}

export function isNodeId(value: string): boolean {
  return NODE_ID.test(value);
}

export function isHlcString(value: unknown): value is string {
  return typeof value === "string" && ENCODED.test(value);
}

export function encodeHlc(hlc: Hlc): string {
  if (!Number.isSafeInteger(hlc.wall) || hlc.wall < 0 || hlc.wall > MAX_WALL) {
    throw new HlcFormatError(`wall time out of range: ${hlc.wall}`);
  }
  if (!Number.isSafeInteger(hlc.counter) || hlc.counter < 0 || hlc.counter > MAX_COUNTER) {
    throw new HlcFormatError(`counter out of range: ${hlc.counter}`);
  }
  if (!isNodeId(hlc.node)) throw new HlcFormatError(`bad node id: ${hlc.node}`);
  return (
    hlc.wall.toString(36).padStart(WALL_WIDTH, "0") +
    hlc.counter.toString(36).padStart(COUNTER_WIDTH, "0") +
    hlc.node
  );
}

export function decodeHlc(encoded: string): Hlc {
  if (!isHlcString(encoded)) throw new HlcFormatError(`not an encoded HLC: ${String(encoded)}`);
  return {
    wall: Number.parseInt(encoded.slice(0, WALL_WIDTH), 36),
    counter: Number.parseInt(encoded.slice(WALL_WIDTH, WALL_WIDTH + COUNTER_WIDTH), 36),
    node: encoded.slice(WALL_WIDTH + COUNTER_WIDTH),
  };
}

/** Total order: wall, then counter, then node id. Works on decoded or encoded forms. */
export function compareHlc(a: Hlc | string, b: Hlc | string): -1 | 0 | 1 {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === "string" ? decodeHlc(a) : a;
  const y = typeof b === "string" ? decodeHlc(b) : b;
  if (x.wall !== y.wall) return x.wall < y.wall ? -1 : 1;
  if (x.counter !== y.counter) return x.counter < y.counter ? -1 : 1;
  return x.node < y.node ? -1 : x.node > y.node ? 1 : 0;
}

/** The wall-clock milliseconds an encoded HLC carries, without a full decode. */
export function hlcWall(encoded: string): number {
  return Number.parseInt(encoded.slice(0, WALL_WIDTH), 36);
}
