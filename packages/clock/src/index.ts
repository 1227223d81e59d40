export {
  COUNTER_WIDTH,
  compareHlc,
  decodeHlc,
  encodeHlc,
  HLC_LENGTH,
  type Hlc,
  HlcFormatError,
  hlcWall,
  isHlcString,
  isNodeId,
  MAX_COUNTER,
  MAX_WALL,
  NODE_ID_LENGTH,
  WALL_WIDTH,
} from "./encoding.js";
export {
  ClockDriftError,
  type DriftPolicy,
  HybridClock,
  type HybridClockOptions,
  type Now,
  type StampResult,
} from "./hybrid-clock.js";
export { createNodeId } from "./node-id.js";
