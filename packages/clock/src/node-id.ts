import { NODE_ID_LENGTH } from "./encoding.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A random replica id of 11 base36 characters (about 57 bits). Short on purpose:
 * it is stored with every field clock, so a UUID string per field would cost 36 bytes.
 */
export function createNodeId(random: () => number = cryptoRandom): string {
  let id = "";
  for (let i = 0; i < NODE_ID_LENGTH; i++) {
    const char = ALPHABET[Math.floor(random() * 36)];
    // An injected source outside [0, 1) would otherwise splice "undefined" into the id.
    if (char === undefined) throw new RangeError("random() must return a number in [0, 1)");
    id += char;
  }
  return id;
}

function cryptoRandom(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return (buf[0] ?? 0) / 2 ** 32;
}
