/**
 * Wire protocol version. Bump on any change to a message schema (the schema hash test
 * forces the decision), and raise MIN_PROTOCOL_VERSION when old clients must upgrade.
 *
 * History:
 *   1  first release: push/pull/stream, per-operation results, field clocks.
 */
export const PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;
