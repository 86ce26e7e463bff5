/**
 * Every environment variable the server and its commands read, with its type, default and
 * meaning, in one place (envalid). `setting(name)` reads one, checked: a bad value stops with a
 * message naming the variable and what it wants, never a NaN or undefined further on. Values are
 * read when asked (a test or a command may set the environment before it opens the platform).
 * The README's tables of variables list exactly these (tests/platform/config.test.ts compares).
 */
import { bool, cleanEnv, makeValidator, port, str, type ValidatorSpec } from "envalid";

const positiveInt = makeValidator<number>((x) => {
  const n = Number(x);
  if (!/^\s*\d+\s*$/.test(x) || !Number.isSafeInteger(n) || n < 1) throw new Error(`a positive integer, got "${x}"`);
  return n;
});
const nonNegative = makeValidator<number>((x) => {
  const n = Number(x);
  if (x.trim() === "" || !Number.isFinite(n) || n < 0) throw new Error(`a non-negative number, got "${x}"`);
  return n;
});
const positive = makeValidator<number>((x) => {
  const n = Number(x);
  if (x.trim() === "" || !Number.isFinite(n) || n <= 0) throw new Error(`a positive number, got "${x}"`);
  return n;
});

/** A TCP port, or 0 for any free one (the tests start servers so). */
const portOrAny = makeValidator<number>((x) => {
  const n = Number(x);
  if (!/^\s*\d+\s*$/.test(x) || n > 65535) throw new Error(`a port number (0 for any free one), got "${x}"`);
  return n;
});

/** Optional text: no default. */
const text = (desc: string) => str({ default: undefined, desc });

export const VARIABLES = {
  // The server
  PORT: portOrAny({ default: 3000, desc: "HTTP port (0: any free one)" }),
  HOST: text("the address to listen on (default: every address)"),
  DATA_DIR: str({ default: "./data", desc: "the embedded PostgreSQL's data folder (DATA_DIR/pg)" }),
  PG_PORT: port({ default: undefined, desc: "the embedded PostgreSQL's port (default: a free one)" }),
  PG_LISTEN_ADDRESSES: str({ default: "127.0.0.1", desc: "where the embedded PostgreSQL listens" }),
  PG_SETTINGS: text("more settings for the embedded PostgreSQL, name=value pairs separated by commas"),
  DATABASE_URL: text("use this PostgreSQL 15+ (owner role) instead of the embedded one"),
  APP_DB_PASSWORD: text("password of the application's non-owner role (default: generated)"),
  APP_DB_ROLE: str({ default: "app_user", desc: "the application's non-owner role" }),
  CONF_DIR: str({ default: "./metadata", desc: "the configuration to load" }),
  REPORTS_DIR: text("the printed forms (default: reports/ beside the configuration)"),
  DEFAULT_AREA: positiveInt({
    default: 1,
    desc: "the data area of the first administrator and of a login that names none",
  }),
  ADMIN_PASSWORD: text("password of admin, made on the first start (default: generated and printed once)"),
  DEMO_PASSWORD: text("password of the demo users"),
  // Sessions and logins
  SESSION_IDLE_MINUTES: positive({ default: 30, desc: "a session ends after this long without a request" }),
  SESSION_ABSOLUTE_MINUTES: positive({ default: 720, desc: "a session ends this long after login" }),
  LOGIN_FREE_ATTEMPTS: nonNegative({ default: 3, desc: "failed logins of one login from one address before delays" }),
  LOGIN_DELAY_MS: nonNegative({ default: 1000, desc: "the first delay, doubling" }),
  LOGIN_MAX_DELAY_MS: nonNegative({ default: 60_000, desc: "the longest delay" }),
  LOGIN_LOCK_AFTER: nonNegative({ default: 10, desc: "failures before that address is locked for that login" }),
  LOGIN_LOCK_MINUTES: nonNegative({ default: 15, desc: "how long" }),
  LOGIN_IP_FREE_ATTEMPTS: nonNegative({
    default: 10,
    desc: "failed logins from one address, any login, before delays",
  }),
  LOGIN_IP_LOCK_AFTER: nonNegative({ default: 50, desc: "… before the address is locked" }),
  LOGIN_HARD_LOCK_ADDRESSES: nonNegative({
    default: 5,
    desc: "addresses failing one login before it is locked everywhere",
  }),
  LOGIN_HARD_LOCK_AFTER: nonNegative({ default: 20, desc: "failures of one login before it is locked everywhere" }),
  LOGIN_HARD_LOCK_WINDOW_MINUTES: nonNegative({ default: 60, desc: "within this long" }),
  LOGIN_HARD_LOCK_MINUTES: nonNegative({ default: 60, desc: "how long (0: until an administrator lifts it)" }),
  AUTH_RATE_LIMIT: positiveInt({
    default: 30,
    desc: "requests per minute per address to the login and password routes",
  }),
  TLS_CERT: text("PEM certificate: serve HTTPS"),
  TLS_KEY: text("PEM key of TLS_CERT"),
  TRUST_PROXY: text("express's trust proxy, behind a reverse proxy"),
  // Logs, jobs, printing, signatures
  LOG_LEVEL: str({
    default: "info",
    choices: ["trace", "debug", "info", "warn", "error", "fatal", "silent"],
    desc: "the server's log level",
  }),
  LOG_FORMAT: str({
    default: undefined,
    choices: ["json", "pretty"],
    desc: "json lines or pretty (default: pretty on a terminal)",
  }),
  JOB_TTL_MS: positive({ default: 30 * 60_000, desc: "a finished background job is forgotten after this long" }),
  REPORT_JOB_TTL_MS: positive({
    default: 30 * 60_000,
    desc: "a finished print job and its file are forgotten after this long",
  }),
  REPORT_CHUNK: positiveInt({
    default: undefined,
    desc: "sheets per chunk of a batch print (default: the form's, else 250)",
  }),
  REPORT_PDF_PARALLEL: positiveInt({ default: 2, desc: "chunks printed to PDF at once" }),
  REPORT_BROWSER_IDLE_MS: positive({ default: 60_000, desc: "the warm Chromium is closed after this long unused" }),
  PUPPETEER_EXECUTABLE_PATH: str({ default: "/usr/bin/chromium", desc: "Chromium for PDF" }),
  OPENSSL_BIN: str({ default: "openssl", desc: "the openssl command (GOST signatures)" }),
  GOST_CA_FILE: text("CA certificates a GOST signature's chain is checked against"),
  POSTING_PROFILE: bool({ default: false, desc: "print the posting engine's phases with the memory (benchmarks)" }),
  // Backups and the standby
  BACKUP_DIR: str({ default: "./backups", desc: "base backups and the WAL archive" }),
  PG_BIN: text("a folder with PostgreSQL client tools of the server's major version"),
  // Tests
  TEST_DATABASE_URL: text("run the tests against this server instead of an embedded one"),
} satisfies Record<string, ValidatorSpec<unknown>>;

export type Variable = keyof typeof VARIABLES;
type ValueOf<K extends Variable> = (typeof VARIABLES)[K] extends ValidatorSpec<infer T> ? T : never;

/** Thrown for a variable whose value is not what it must be. */
export class ConfigError extends Error {}

/** The variable's value (its default when unset or empty), checked; `env` for a command given one. */
export function setting<K extends Variable>(name: K, env: NodeJS.ProcessEnv = process.env): ValueOf<K> {
  const raw = env[name];
  const given = raw === undefined || raw === "" ? {} : { [name]: raw };
  const spec = { [name]: VARIABLES[name] } as Record<K, (typeof VARIABLES)[K]>;
  const clean = cleanEnv(given, spec, {
    reporter: ({ errors }) => {
      const e = errors[name];
      if (e)
        throw new ConfigError(
          `${name}: ${e.message.replace(/^Invalid (\w+) input: (.*)$/, "expected a $1, got $2")} (${VARIABLES[name].desc})`,
        );
    },
  });
  return clean[name] as ValueOf<K>;
}
