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
export const HLC_LENGTH = 24;
export const NODE_PATTERN = /^[0-9a-z]{11}$/;
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

const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE[i.toString(16).charCodeAt(0)] = i;
/** Where each of the 16 bytes starts in the 36-character text. */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** Writes a canonical UUID's 16 bytes at `offset` (the caller checked the form). */
export function writeUuid(uuid: string, into: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const at = AT[i] ?? 0;
    into[offset + i] =
      ((NIBBLE[uuid.charCodeAt(at)] ?? 0) << 4) | (NIBBLE[uuid.charCodeAt(at + 1)] ?? 0);
  }
}

const HEX_CODES = new TextEncoder().encode("0123456789abcdef");
const UTF8 = new TextDecoder();

/**
 * Texts of `n` UUIDs stored as 16 bytes each. Written as ASCII into one buffer and decoded
 * once, so each is a slice of one flat string: concatenated strings would be ropes, which
 * every later regex test (the schema's) must flatten first, at a cost larger than the decode.
 */
export function readUuids(b: Uint8Array, n: number): string[] {
  const text = new Uint8Array(n * 36);
  for (let i = 0; i < n; i++) {
    let at = i * 36;
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) text[at++] = 45; // "-"
      const byte = b[i * 16 + j] ?? 0;
      text[at++] = HEX_CODES[byte >> 4] ?? 0;
      text[at++] = HEX_CODES[byte & 15] ?? 0;
    }
  }
  return slices(UTF8.decode(text), n, 36);
}

/** `n` consecutive pieces of `width` characters. */
export function slices(all: string, n: number, width: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = all.slice(i * width, (i + 1) * width);
  return out;
}

/** A lone surrogate: JSON carries it (as an escape), UTF-8 and so MessagePack cannot. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);
