/**
 * The register engine's public surface, as the document engine, the HTTP routes and the
 * CLI use it: accumulation registers (post.ts, read.ts, verify.ts) and information registers
 * (info.ts, whose record-set functions are re-exported here with an Info prefix).
 */
export { writeRecordSet, clearRecordSet, readRecordSet, COPY_THRESHOLD, type MovementInput, type Recorder, type WriteOptions } from "./post.ts";
