// Imported first by every benchmark, before anything that loads server/log.ts: the request log
// stays quiet (warnings and errors only) so the tables the benchmark prints are readable.
process.env.LOG_LEVEL ??= "warn";
