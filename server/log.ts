/**
 * The server's log: pino, JSON lines on stdout (one object per event: time, level, msg and
 * fields), readable lines through pino-pretty when a person runs the server in a terminal.
 * Requests are logged by pino-http (http/app.ts: request id, user, area, route, status,
 * duration); bugs (a 500), failed background jobs and connection errors of the pools here.
 *   LOG_LEVEL   trace | debug | info (default) | warn | error | fatal | silent
 *   LOG_FORMAT  json | pretty (default: pretty on a terminal, json otherwise)
 */
import { pino, type Logger } from "pino";
import { setting } from "./config.ts";

function create(): Logger {
  const level = setting("LOG_LEVEL");
  const pretty = (setting("LOG_FORMAT") ?? (process.stdout.isTTY ? "pretty" : "json")) === "pretty";
  return pino({
    level,
    base: undefined, // no pid/hostname on every line: one process, one machine
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:standard", ignore: "req,res" } } }
      : {}),
  });
}

export const log: Logger = create();
