/**
 * Wire protocol version. Bump on any change to a message schema (the schema hash test
 * forces the decision), and raise MIN_PROTOCOL_VERSION when old clients must upgrade.
 *
 * History:
 *   1  first release: push/pull/stream, per-operation results, field clocks.
 *   2  stream `changes` events for streams opened with `?changes=1`, and CLIENT_TOO_NEW for a
 *      push newer than the server (additive: a version 1 client never asks for changes and
 *      still gets pokes, so the minimum stays 1).
 *   3  pull takes the caller's `clientId` and its last page answers `lastSeq`, how far the
 *      server processed that client, and so does a stream `changes` event of that client's
 *      own push on a stream opened with `clientId` (additive: older clients name no client and get no
 *      `lastSeq`; a version 3 client needs a version 3 server, so deploy the server first).
 */
export const PROTOCOL_VERSION = 3;
export const MIN_PROTOCOL_VERSION = 1;
