/**
 * Initial data (1C's начальное заполнение): a configuration may put `initial-data.ts` at its
 * root, exporting `default async function (ctx: InitialDataContext)`. It runs once per data
 * area, in one transaction with its marker in _initial_data, when the platform starts on an
 * area whose configuration tables are all empty; an area that already holds data is only
 * marked. `npm run demo:reset` (cli/initial-data.ts) wipes the area's rows and runs it again.
 */
import { ensurePredefinedAccounts } from "./accounting/accounts.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { InitialDataContext, Row } from "./api.ts";
import type { Platform } from "./platform.ts";
import { tx, type Client } from "./storage/db.ts";
import { q } from "./storage/naming.ts";
import { platformTables } from "./schema.ts";
import { createCatalogItem } from "./catalogs/service.ts";
import { createDocument, fillTable } from "./documents/service.ts";
import { queryApi } from "./documents/context.ts";
import { writeCheckedRecords } from "./registers/checked.ts";
import { setConstant } from "./constants.ts";
import { notFound } from "./errors.ts";
import { createUser, findUser } from "./security/users.ts";
import { transition } from "./workflow/service.ts";

export const INITIAL_DATA_FILE = "initial-data.ts";

async function isEmpty(c: Client, p: Platform): Promise<boolean> {
  const tables = platformTables(p.conf).map((t) => `SELECT 1 FROM ${q(t.name)}`);
  if (tables.length === 0) return true;
  const r = await c.query(`SELECT EXISTS(${tables.join(" UNION ALL ")}) AS any`);
  return !r.rows[0].any;
}

function context(c: Client, p: Platform, area: number): InitialDataContext {
  const ctx = { c, conf: p.conf, area };
  return {
    ...queryApi(ctx),
    area,
    create: (kind, name, body, opts = {}) =>
      kind === "catalog" ? createCatalogItem(ctx, name, body) : createDocument(ctx, name, body, opts),
    writeRecords: async (register, rows) => {
      const reg = p.conf.informationRegisters.get(register);
      if (!reg) throw notFound(`Регистр сведений «${register}» не найден в конфигурации`);
      return writeCheckedRecords(ctx, reg, rows);
    },
    setConstant: async (name, value) => {
      await setConstant(ctx, name, value);
    },
    fill: (document: string, table: string, doc: Row) => fillTable(ctx, document, null, table, doc),
    createUser: async (user) => {
      if (!(await findUser(c, user.login))) await createUser(c, p.conf, user); // demo:reset keeps existing users
    },
    transition: async (document, id, status, comment) => {
      await transition(ctx, document, id, { status, comment });
    },
  };
}

/**
 * Loads the configuration's initial data into `area` if it has not been loaded and the area
 * is empty (or always, after wiping the area, with reset). Returns whether it ran.
 */
export async function loadInitialData(p: Platform, area: number, opts: { reset?: boolean } = {}): Promise<boolean> {
  const file = join(p.conf.root, INITIAL_DATA_FILE);
  if (!existsSync(file)) return false;
  const mod = await import(pathToFileURL(file).href);
  const load = mod.default as (ctx: InitialDataContext) => Promise<void>;
  if (typeof load !== "function") throw new Error(`${file} must export a default async function (ctx)`);
  return tx(p.db.app, area, async (c) => {
    if (opts.reset) {
      await c.query("SET CONSTRAINTS ALL DEFERRED"); // the references are checked once all is gone, at commit
      for (const t of platformTables(p.conf)) await c.query(`DELETE FROM ${q(t.name)}`);
      await c.query("DELETE FROM _numbering");
      await c.query("DELETE FROM _attachments"); // the wiped objects' files (server/attachments)
      await c.query("DELETE FROM _initial_data");
    } else {
      const done = await c.query("SELECT 1 FROM _initial_data");
      if (done.rowCount) return false;
      if (!(await isEmpty(c, p))) {
        await c.query("INSERT INTO _initial_data(loaded) VALUES (false)");
        return false;
      }
    }
    await ensurePredefinedAccounts(c, p.conf); // the charts' accounts, for the data to refer to
    await load(context(c, p, area));
    await c.query("INSERT INTO _initial_data(loaded) VALUES (true)");
    return true;
  });
}
