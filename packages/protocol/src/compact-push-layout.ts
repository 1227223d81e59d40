/**
 * The compact push encoding: a PushRequest as one MessagePack map of columns shared by the
 * batch (docs/protocol.md, "Compact push encoding"). This file holds what both directions
 * share: the content type, the keys, the error and the UUID <-> 16 bytes conversion.
 */

/** Content type of a compact push body; JSON stays `application/json`. */
export const COMPACT_PUSH_CONTENT_TYPE = "application/vnd.sync.push+msgpack";

/** Keys of the top-level map. Index columns (`ei`, `hi`, `fi`) are left out when they would all be 0. */
export const KEYS = {
  version: "v",
  clientId: "c",
  kinds: "k",
  seqs: "s",
  opIds: "o",
  ids: "i",
  entities: "e",
  entityIndex: "ei",
  walls: "w",
  counters: "t",
  nodes: "h",
  nodeIndex: "hi",
  names: "f",
  shapes: "fs",
  shapeIndex: "fi",
  values: "fv",
  bases: "b",
} as const;

export const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(KEYS));

/** HLC layout of @sync/clock: 9 base36 wall digits, 4 counter digits, 11 node characters. */
export const HLC_PATTERN = /^[0-9a-z]{24}$/;
export const WALL_DIGITS = 9;
export const COUNTER_DIGITS = 4;
export const MAX_WALL = 36 ** WALL_DIGITS - 1;
export const MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;

export type CompactPushErrorReason = "malformed" | "too-many-operations" | "unrepresentable";

/**
 * `malformed`: the bytes are not a compact push (the server answers 400).
 * `too-many-operations`: more operations than allowed, counted from the columns (413).
 * `unrepresentable`: the encoder cannot carry this request exactly; send it as JSON.
 */
export class CompactPushError extends Error {
  override name = "CompactPushError";
  readonly reason: CompactPushErrorReason;
  readonly details: Readonly<Record<string, number>> | undefined;

  constructor(
    reason: CompactPushErrorReason,
    message: string,
    options: { details?: Record<string, number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.details = options.details;
  }
}

/** Lowercase canonical UUID text: the only form that survives 16 raw bytes unchanged. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isCanonicalUuid = (value: unknown): value is string =>
  typeof value === "string" && CANONICAL_UUID.test(value);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Writes a canonical UUID's 16 bytes at `offset`. */
export function writeUuid(uuid: string, into: Uint8Array, offset: number): void {
  const hex = uuid.replace(/-/g, "");
  for (let i = 0; i < 16; i++) into[offset + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

export function readUuid(from: Uint8Array, offset: number): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    s += HEX[from[offset + i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += "-";
  }
  return s;
}

/** A lone surrogate: JSON carries it (as an escape), UTF-8 and so MessagePack cannot. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);
