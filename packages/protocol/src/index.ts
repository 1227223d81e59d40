export {
  type Credentials,
  credentialsSchema,
  type HealthResponse,
  healthResponseSchema,
  type JoinListRequest,
  type JoinListResponse,
  joinListRequestSchema,
  joinListResponseSchema,
  type MeResponse,
  meResponseSchema,
  type SessionResponse,
  sessionResponseSchema,
  type User,
  userSchema,
} from "./auth.js";
export { decodeCompactPush } from "./compact-push-decode.js";
export { encodeCompactPush } from "./compact-push-encode.js";
export {
  COMPACT_PUSH_CONTENT_TYPE,
  CompactPushError,
  type CompactPushErrorReason,
} from "./compact-push-layout.js";
export {
  ErrorCode,
  type ErrorEnvelope,
  errorCodeSchema,
  errorEnvelope,
  errorEnvelopeSchema,
} from "./errors.js";
export { LIMITS, type Limits } from "./limits.js";
export {
  type Conflict,
  conflictSchema,
  OP_KINDS,
  type Operation,
  type OpKind,
  operationSchema,
  opKindSchema,
  type Row,
  rowSchema,
} from "./operation.js";
export {
  type ClockMap,
  clockMapSchema,
  cursorSchema,
  type FieldMap,
  type FieldValue,
  FORBIDDEN_KEYS,
  fieldMapSchema,
  fieldValueSchema,
  hlcSchema,
  nameSchema,
  uuidSchema,
} from "./primitives.js";
export { type PullQuery, type PullResponse, pullQuerySchema, pullResponseSchema } from "./pull.js";
export {
  type AppliedResult,
  type DuplicateResult,
  type OpResult,
  opResultSchema,
  type PushRequest,
  type PushResponse,
  pushRequestSchema,
  pushResponseSchema,
  type RejectedResult,
} from "./push.js";
export {
  type Changes,
  changesSchema,
  type Poke,
  pokeSchema,
  STREAM_CHANGES_PARAM,
  STREAM_CLIENT_PARAM,
  STREAM_EVENTS,
} from "./stream.js";
export { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from "./version.js";
