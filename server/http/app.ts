/**
 * The express application: JSON API under /api generated from the metadata (catalogs,
 * documents, registers, constants, the metadata itself) and the client's static files.
 * Security (issue 6): helmet's headers and CSP on everything (hardening.ts); under /api the
 * origin check, then /api/auth (auth.ts), then only requests with a live session (and CSRF
 * token for changes) get further, each checked against the user's rights by the rule its route
 * declares (access.ts: routing is case-sensitive and strict, the rule reads the matched route's
 * params, a route without a rule cannot be added) and run in the session's data area.
 * opts.area (else DEFAULT_AREA, else 1) is only the area a login goes to when it names none. Errors are always JSON
 * `{"error": {"code", "message", "field"}}`: AppError keeps its status; a too large body is
 * 413, malformed JSON 400, an unknown /api route 404; anything else is a bug, answers 500
 * with a generic message and is logged to stderr with the request.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { randomUUID } from "node:crypto";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { log } from "../log.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Platform } from "../platform.ts";
import { getConstants, setConstant } from "../constants.ts";
import { constantOf } from "../metadata/lookup.ts";
import { AppError } from "../errors.ts";
import { jsonBody, param, runner } from "./context.ts";
import { catalogRoutes, documentRoutes } from "./objects.ts";
import { idempotencyMiddleware } from "../idempotency/idempotency.ts";
import { registerRoutes } from "./registers.ts";
import { reportRoutes } from "./reports.ts";
import { exportRoutes } from "./export.ts";
import { settingsRoutes } from "./settings.ts";
import { journalRoutes } from "./journal.ts";
import { signatureRoutes } from "./signatures.ts";
import { jobRoutes } from "./jobs.ts";
import { workflowRoutes } from "./workflow.ts";
import { attachmentRoutes } from "./attachments.ts";
import { validConstantBody, validators } from "./schemas.ts";
import { authLayer, originCheck, type AuthOptions } from "./auth.ts";
import { metadataFor, rules, secureRouter, strictRouter } from "./access.ts";
import { jsonBodyParser, securityHeaders, tlsFromEnv } from "./hardening.ts";
import { userRoutes } from "./users.ts";
import { currentScope } from "../security/scope.ts";
import { setting } from "../config.ts";

export interface AppOptions {
  /** The data area of every request (default: DEFAULT_AREA or 1). */
  area?: number;
  /** The built client (default: client/dist under the working directory, if it exists). */
  clientDir?: string;
  /** Sessions, login throttling and rate limits (defaults from the environment: auth.ts). */
  auth?: Omit<AuthOptions, "area">;
  /** Served over HTTPS (HSTS, Secure cookies); default: TLS_CERT and TLS_KEY are set. */
  https?: boolean;
  /** Where requests and errors are logged (default: server/log.ts). */
  logger?: Logger;
}

export const BODY_LIMIT = "2mb";

export function createApp(platform: Platform, opts: AppOptions = {}): express.Express {
  const area = opts.area ?? setting("DEFAULT_AREA");
  const conf = platform.conf;
  validators(conf); // compile every body schema now, not on the first request
  const run = runner(platform, area);
  const https = opts.https ?? tlsFromEnv() !== null;
  const auth = authLayer(platform, { ...opts.auth, area, secure: opts.auth?.secure ?? https });

  const app = express();
  app.disable("x-powered-by");
  // `/api/Users` and `/api/users/` are not `/api/users` (access.ts: rights follow the route that matched).
  app.set("case sensitive routing", true);
  app.set("strict routing", true);
  app.set("etag", false);
  const trustProxy = setting("TRUST_PROXY");
  if (trustProxy) app.set("trust proxy", trustProxy); // behind a reverse proxy: whose X-Forwarded-For to believe
  app.use(requestLog(opts.logger ?? log));
  app.use(securityHeaders(https));

  const api = strictRouter();
  const allow = rules(conf);
  api.use(jsonBodyParser(BODY_LIMIT)); // identity or gzip only, nested at most 64 levels (hardening.ts)
  api.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  api.use(originCheck);
  api.use("/auth", auth.routes);
  api.use(auth.authenticate);
  api.use((_req, res, next) => {
    const scope = currentScope();
    if (scope) res.locals.actor = { user: scope.actor.login, area: scope.area }; // for the request log
    next();
  });
  api.use(idempotencyMiddleware); // Idempotency-Key: a retried write has one effect (server/idempotency)
  const core = secureRouter();
  core.get("/metadata", allow.session(), (_req, res) => {
    res.json(metadataFor(conf, currentScope()!.perms));
  });
  core.get("/constants", allow.constants("read"), async (_req, res) => {
    res.json(await run((ctx) => getConstants(ctx)));
  });
  core.put("/constants/:name", allow.constants("write"), async (req, res) => {
    const m = constantOf(conf, param(req, "name"));
    const value = validConstantBody(conf, m.name, jsonBody(req) ?? {});
    res.json({ name: m.name, value: await run((ctx) => setConstant(ctx, m.name, value)) });
  });
  api.use(core.router);
  api.use("/catalogs", catalogRoutes(run));
  api.use("/documents", documentRoutes(run));
  api.use("/registers", registerRoutes(run));
  api.use("/reports", reportRoutes(run));
  api.use("/settings", settingsRoutes(run)); // saved form settings of the user (http/settings.ts)
  api.use("/export", exportRoutes(run)); // a table the client holds as CSV or Excel (http/export.ts)
  api.use("/journal", journalRoutes(run)); // the journal of user actions (server/journal)
  api.use(signatureRoutes(run)); // /signatures/keys, /documents/:name/:id/canonical|signatures (server/signatures)
  api.use("/users", userRoutes(platform, auth.store));
  api.use("/jobs", jobRoutes(run));
  api.use(workflowRoutes(run)); // /documents/:name/:id/status, /status-history (server/workflow)
  api.use(attachmentRoutes(run)); // /{catalogs|documents}/:name/:id/attachments (server/attachments)
  api.use((req, _res, next) => {
    next(new AppError(404, "not_found", `Нет такого адреса API: ${req.method} ${req.baseUrl}${req.path}`));
  });
  app.use("/api", api);

  const clientDir = opts.clientDir ?? join(process.cwd(), "client", "dist");
  if (existsSync(join(clientDir, "index.html"))) {
    app.use(express.static(clientDir, { index: "index.html" }));
    // The client routes in the browser: any other GET that is not the API gets index.html.
    app.get(/^(?!\/api(\/|$)).*/i, (req, res, next) =>
      looksLikeApi(req.path) ? next() : res.sendFile(join(clientDir, "index.html")),
    );
  } else {
    app.get("/", (_req, res) => res.type("html").send(NOT_BUILT));
  }
  // Anything else — `/API/…`, `//api/…`, `/%61pi/…` included (routing is case-sensitive and strict) — is
  // an unknown address, answered as JSON like every API error, never routed by a second reading of the path.
  app.use((req, _res, next) => next(new AppError(404, "not_found", `Нет такого адреса: ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/** `/%61pi/users`, `//api/users`, `/x/../API/users`: not the API, and not a page of the client either (a JSON 404). */
function looksLikeApi(path: string): boolean {
  let p = path;
  try {
    p = decodeURIComponent(path);
  } catch {
    /* keep it as it is */
  }
  const segments: string[] = [];
  for (const s of p.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  return segments[0]?.toLowerCase() === "api";
}

const NOT_BUILT = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Клиент не собран</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Сервер работает</h1>
<p>Веб-клиент ещё не собран (нет папки <code>client/dist</code>).</p>
<p>API доступно: <a href="/api/metadata">/api/metadata</a> — описание конфигурации.</p>
</body></html>
`;

/**
 * One log line per request (pino-http): its id (also the X-Request-Id header), method, URL,
 * status and duration, and — once known — the user, the data area and the declared route.
 * 5xx are errors, 4xx warnings, the rest info.
 */
function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    customProps: (_req, res) => ({ ...(res as Response).locals?.actor, route: (res as Response).locals?.route }),
    serializers: {
      req: (r: { id: string; method: string; url: string }) => ({
        id: r.id,
        method: r.method,
        url: r.url.split("?")[0],
      }),
      res: (r: { statusCode: number }) => ({ status: r.statusCode }),
    },
  });
}

/** The error as the API's JSON body; a non-AppError is logged and hidden behind a generic 500. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  let e: AppError;
  if (err instanceof AppError) e = err;
  else if (isBodyParserError(err) && err.type === "entity.too.large") {
    e = new AppError(413, "payload_too_large", `Тело запроса больше ${BODY_LIMIT.replace("mb", " МБ")}`);
  } else if (isBodyParserError(err) && err.type === "entity.parse.failed") {
    e = new AppError(400, "malformed_json", `Тело запроса — некорректный JSON: ${err.message}`);
  } else if (isBodyParserError(err) && err.status >= 400 && err.status < 500) {
    e = new AppError(err.status, "bad_request", `Тело запроса не принято: ${err.message}`);
  } else {
    (req.log ?? log).error({ err }, `500 ${req.method} ${req.originalUrl}`);
    e = new AppError(500, "internal", "Внутренняя ошибка сервера. Она записана в журнал; сообщите администратору.");
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const retryAfter = (e as { retryAfter?: unknown }).retryAfter; // a throttled login (auth.ts)
  if (typeof retryAfter === "number") res.set("Retry-After", String(retryAfter));
  res.status(e.status).json(e.toJSON());
}

function isBodyParserError(err: unknown): err is { type: string; status: number; message: string } {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { type?: unknown }).type === "string" &&
    typeof (err as { status?: unknown }).status === "number"
  );
}
