import { randomInt } from "node:crypto";
import { LIMITS } from "@sync/protocol";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A random invite code (about 52 bits): unguessable enough to share a list by. */
export function randomInviteCode(): string {
  let code = "";
  for (let i = 0; i < LIMITS.inviteCodeLength; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
