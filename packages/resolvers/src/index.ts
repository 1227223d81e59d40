export { GCounter, type GCounterState } from "./g-counter.js";
export { incomingWins, lwwPick, type Stamped } from "./lww.js";
export { LWWMap, type LWWMapEntry, type LWWMapState } from "./lww-map.js";
export { LWWRegister, type LWWRegisterState } from "./lww-register.js";
export { ORSet, type ORSetState } from "./or-set.js";
export { PNCounter, type PNCounterState } from "./pn-counter.js";
export {
  type FieldConflict,
  type FieldStrategy,
  type MergeSide,
  type ThreeWayMergeOptions,
  type ThreeWayMergeResult,
  threeWayMerge,
} from "./three-way-merge.js";
