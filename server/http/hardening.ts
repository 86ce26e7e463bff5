/**
 * Security headers and transport: helmet with a strict content security policy for the
 * same-origin client bundle (scripts only from 'self'; inline styles are allowed because lit
 * and AG Grid inject <style> elements; images also from data: and blob: for QR codes and
 * previews; frames only from the same origin, for the report preview), HSTS only when served
 * over HTTPS, and the HTTPS server itself when TLS_CERT and TLS_KEY name PEM files.
 */
import helmet from "helmet";
import type { RequestHandler } from "express";
import { readFileSync } from "node:fs";
import { createServer as createHttps } from "node:https";
import { createServer as createHttp, type RequestListener, type Server } from "node:http";

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
  const cert = process.env.TLS_CERT;
  const key = process.env.TLS_KEY;
  if (!cert && !key) return null;
  if (!cert || !key) throw new Error("HTTPS needs both TLS_CERT and TLS_KEY (paths of PEM files); only one is set");
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** An HTTPS server when TLS is configured, else HTTP. */
export function createServerFor(app: RequestListener, tls = tlsFromEnv()): Server {
  return tls ? (createHttps({ cert: tls.cert, key: tls.key }, app) as unknown as Server) : createHttp(app);
}
