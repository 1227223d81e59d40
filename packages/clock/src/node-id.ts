import { NODE_ID_LENGTH } from "./encoding.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A random replica id of 11 base36 characters (about 57 bits). Short on purpose:
 * it is stored with every field clock, so a UUID string per field would cost 36 bytes.
 */
export function createNodeId(random: () => number = cryptoRandom): string {
  let id = "";
  for (let i = 0; i < NODE_ID_LENGTH; i++) id += ALPHABET[Math.floor(random() * 36) % 36];
  return id;
}

function cryptoRandom(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return (buf[0] ?? 0) / 2 ** 32;
}
