/**
 * The register engine's public surface, as the document engine, the HTTP routes and the
 * CLI use it: accumulation registers (post.ts, read.ts, verify.ts) and information registers
 * (info.ts, whose record-set functions are re-exported here with an Info prefix).
 */
export {
  writeRecordSet,
  writeHandlerRecordSets,
  clearRecordSet,
  readRecordSet,
  COPY_THRESHOLD,
  type MovementInput,
  type Recorder,
  type WriteOptions,
  type HandlerRecordSet,
} from "./post.ts";
export { balance, turnovers, balanceAndTurnovers, type Periodicity } from "./read.ts";
export { verify, rebuild, type Difference, type RebuildResult } from "./verify.ts";
export {
  sliceLast,
  sliceFirst,
  forgetSliceStatistics,
  sliceStrategy,
  writeRecordSet as writeInfoRecordSet,
  clearRecordSet as clearInfoRecordSet,
  readRecordSet as readInfoRecordSet,
  writeRecords,
  deleteRecords,
  listRecords,
  type InfoRecordInput,
} from "./info.ts";
export { StagedStream } from "./staged.ts";
