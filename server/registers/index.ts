/**
 * The register engine's public surface, as the document engine, the HTTP routes and the
 * CLI use it: accumulation registers (post.ts, read.ts, verify.ts) and information registers
 * (info.ts, whose record-set functions are re-exported here with an Info prefix).
 */

export {
  clearRecordSet as clearInfoRecordSet,
  deleteRecords,
  forgetSliceStatistics,
  type InfoRecordInput,
  listRecords,
  readRecordSet as readInfoRecordSet,
  sliceFirst,
  sliceLast,
  sliceStrategy,
  writeRecordSet as writeInfoRecordSet,
  writeRecords,
} from "./info.ts";
export {
  COPY_THRESHOLD,
  clearRecordSet,
  type HandlerRecordSet,
  type MovementInput,
  type Recorder,
  readRecordSet,
  readRecordSets,
  type WriteOptions,
  writeHandlerRecordSets,
  writeRecordSet,
} from "./post.ts";
export { balance, balanceAndTurnovers, type Periodicity, turnovers } from "./read.ts";
export { StagedStream } from "./staged.ts";
export { type Difference, type RebuildResult, rebuild, verify } from "./verify.ts";
