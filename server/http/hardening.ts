/**
 * Security headers and transport: helmet with a strict content security policy for the
 * same-origin client bundle (scripts only from 'self'; inline styles are allowed because lit
 * and AG Grid inject <style> elements; images also from data: and blob: for QR codes and
 * previews; frames only from the same origin, for the report preview), HSTS only when served
 * over HTTPS, and the HTTPS server itself when TLS_CERT and TLS_KEY name PEM files. And the
 * API's JSON body parser (jsonBodyParser): identity or gzip only, a depth limit before parsing.
 */
import helmet from "helmet";
import express, { type RequestHandler } from "express";
import { readFileSync } from "node:fs";
import { createServer as createHttps } from "node:https";
import { createServer as createHttp, type RequestListener, type Server } from "node:http";
import { AppError } from "../errors.ts";
import { setting } from "../config.ts";

export function securityHeaders(https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameSrc: ["'self'", "blob:"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: "sameorigin" },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
}

/** The TLS certificate and key from TLS_CERT / TLS_KEY (paths of PEM files), or null when not configured. */
export function tlsFromEnv(): { cert: Buffer; key: Buffer } | null {
  const cert = setting("TLS_CERT");
  const key = setting("TLS_KEY");
  if (!cert && !key) return null;
  if (!cert || !key) throw new Error("HTTPS needs both TLS_CERT and TLS_KEY (paths of PEM files); only one is set");
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** An HTTPS server when TLS is configured, else HTTP. */
export function createServerFor(app: RequestListener, tls = tlsFromEnv()): Server {
  return tls ? (createHttps({ cert: tls.cert, key: tls.key }, app) as unknown as Server) : createHttp(app);
}

/**
 * How deeply objects and arrays may nest in a JSON body. Every body the API takes is a few
 * levels deep (a document's rows are three); a hostile body nested thousands deep would
 * otherwise reach code that walks values recursively (JSON.stringify in the idempotency hash,
 * the messages of report parameters, ajv) and blow its stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Content encodings a request body may have; anything else is 415 before it is read. */
export const BODY_ENCODINGS = ["identity", "gzip"] as const;

/**
 * The deepest nesting of [ and { outside strings in JSON text; stops counting past `limit`.
 * One pass, no recursion; a string's contents are skipped to its closing quote with indexOf
 * (a quote is escaped when an odd run of backslashes precedes it). UTF-8 bytes can be scanned
 * as they are: every byte of a multi-byte character is >= 0x80.
 */
export function jsonDepth(text: Uint8Array | string, limit = Infinity): number {
  const n = text.length;
  const at = typeof text === "string" ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  const quote =
    typeof text === "string" ? (from: number) => text.indexOf('"', from) : (from: number) => text.indexOf(0x22, from);
  let depth = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = at(i);
    if (c === 0x22) {
      let j = i;
      for (;;) {
        j = quote(j + 1);
        if (j < 0) return max; // unterminated: JSON.parse refuses it
        let k = j - 1;
        while (at(k) === 0x5c) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

const tooDeep = () =>
  new AppError(
    400,
    "too_deep",
    `Тело запроса вложено слишком глубоко: объекты и массивы допускаются не глубже ${MAX_JSON_DEPTH} уровней`,
  );

/**
 * The JSON body parser of the API: bodies in identity or gzip encoding only (415 for br,
 * deflate and the rest, before anything is read or inflated), at most `limit` bytes after
 * inflating, nested at most MAX_JSON_DEPTH levels — counted on the raw text by a loop, before
 * JSON.parse, so no recursion sees a deeper value — and a body that does not inflate is a 400.
 */
export function jsonBodyParser(limit: string): RequestHandler[] {
  const parse = express.json({
    limit,
    verify: (_req, _res, buf, encoding) => {
      let text: Uint8Array | string = buf;
      if (encoding && !/^utf-?8$/i.test(encoding)) {
        try {
          text = new TextDecoder(encoding).decode(buf);
        } catch {
          throw new AppError(
            415,
            "unsupported_charset",
            `Кодировка тела запроса «${encoding}» не поддерживается: нужен UTF-8`,
          );
        }
      }
      if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw tooDeep();
    },
  });
  const encodings: RequestHandler = (req, _res, next) => {
    const given = req.headers["content-encoding"];
    if (given === undefined) return next();
    const list = String(given)
      .split(",")
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean);
    const ok = list.length <= 1 && (list.length === 0 || (BODY_ENCODINGS as readonly string[]).includes(list[0]));
    if (ok) return next();
    next(
      new AppError(
        415,
        "unsupported_encoding",
        `Content-Encoding «${String(given).slice(0, 40)}» не поддерживается: тело запроса передается без сжатия или в gzip`,
        "Content-Encoding",
      ),
    );
  };
  const reading: RequestHandler = (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      // An AppError thrown by verify comes back from body-parser as it was (its status kept).
      if (err === undefined || err === null || err instanceof AppError) return next(err);
      const e = err as { type?: unknown; status?: unknown };
      if (
        req.headers["content-encoding"] !== undefined &&
        typeof e.type !== "string" &&
        typeof e.status === "number" &&
        e.status >= 400 &&
        e.status < 500
      ) {
        // zlib's own errors (a gzip body that does not inflate) carry no body-parser type.
        return next(
          new AppError(
            400,
            "bad_encoding",
            "Тело запроса не распаковывается: Content-Encoding gzip, а тело — не gzip",
            "Content-Encoding",
          ),
        );
      }
      next(err);
    });
  return [encodings, reading];
}
