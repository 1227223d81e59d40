/** Every limit the protocol enforces, in one place; server and client both import these. */
export const LIMITS = {
  /** Operations in one push request. */
  maxOpsPerPush: 500,
  /** Bytes of one request body (push or auth), counted as received, chunked or not. */
  maxBodyBytes: 1_048_576,
  /** Characters in one string field value. */
  maxStringLength: 2_000,
  /** Entries in one set-valued field value. */
  maxSetSize: 200,
  /** Fields in one operation. */
  maxFieldsPerOp: 32,
  /** Characters of an entity or field name. */
  maxNameLength: 64,
  /** Absolute counter increment in one operation. */
  maxCounterDelta: 1_000_000,
  /** Rows in one pull page. */
  maxPullLimit: 1_000,
  defaultPullLimit: 500,
  /** Rows one stream `changes` event may carry; a larger write is announced by a poke. */
  maxStreamRows: 20,
  /** Username and password lengths. */
  minUsernameLength: 3,
  maxUsernameLength: 40,
  minPasswordLength: 8,
  maxPasswordLength: 200,
  /** Characters of a list invite code. */
  inviteCodeLength: 10,
} as const;

export type Limits = typeof LIMITS;
