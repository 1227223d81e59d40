export { incomingWins, lwwPick, type Stamped } from "./lww.js";
