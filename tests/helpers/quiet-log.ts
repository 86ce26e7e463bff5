// Imported first by tests/run.ts, before anything that loads server/log.ts: the request log stays
// quiet in tests but for errors (a 500 shows up in the output), as JSON lines.
process.env.LOG_LEVEL ??= "error";
process.env.LOG_FORMAT ??= "json";
