/**
 * The import of a bank statement file or a payment agent's register into a BankStatement
 * (documents/BankStatement.ts; docs/bank-statement.md). Runs in the import route's one
 * transaction: parse (exchange-read.ts / agent-registry.ts; a malformed file is refused naming its
 * line, nothing written), match (matching.ts: the account in the purpose, the period, a legal payer
 * by ИНН; accounts, counterparties and keys looked up in one query each), skip the lines whose key
 * (line-key.ts) an earlier statement holds (BankLineKeys), create the matched lines' Payments
 * posted through the batch path — as one set (Payment.postMany, server/documents/post-many.ts) —,
 * then write and post the statement with every line.
 */
import { Decimal } from "decimal.js";
import type { ImportContext, QueryApi } from "../../../server/api.ts";
import { monthStart } from "../../../server/api.ts";
import { paidPeriodFromText } from "../paid-period.ts";
import type { Query } from "../../types.gen.ts";
import { readAgentRegistry } from "./agent-registry.ts";
import { readExchangeFile } from "./exchange-read.ts";
import { lineKeys, registryLineKeys } from "./line-key.ts";
import { legalPayerByInn, matchDocument } from "./matching.ts";
import { BankFileError } from "./text.ts";

type Ctx = Query & Omit<ImportContext, keyof QueryApi>;
type Status = "Posted" | "Unposted" | "Duplicate" | "Outgoing";

/** What a matched line's Payment is made of. */
export interface LineDraft {
  date: string;
  amount: Decimal;
  account: string;
  paidMonth: string | null;
  purpose: string;
  /** The payment agent (a register's line), or null (the bank). */
  agent: string | null;
}

/**
 * A line's Payment (the document's body): dated its day, a second apart by line so that payments
 * of one account see each other; Source names the statement (`from`: «№000000001» or the file's
 * «name») and the line.
 */
export function paymentBody(l: LineDraft, index: number, from: string) {
  const s = Math.min(index, 86_399 - 8 * 3600);
  const time = new Date((8 * 3600 + s) * 1000).toISOString().slice(11, 19);
  return {
    date: `${l.date}T${time}`,
    Account: l.account,
    Amount: l.amount.toFixed(2),
    PaidMonth: l.paidMonth,
    Purpose: l.purpose.slice(0, 1000),
    Source: `${l.agent ? "Реестр агента" : "Выписка банка"} ${from}, строка ${index + 1}`.slice(0, 100),
    // a bank's payment leaves the source empty (= bank, Дт 51); an agent's names the agent (Дт 57.01)
    ...(l.agent ? { SourceKind: "Agent", Agent: l.agent } : {}),
  };
}

/** A line of the statement being built (the tabular part's fields). */
interface Line {
  BankNumber: string | null;
  BankDate: string | null;
  Amount: string;
  Commission: string | null;
  Payer: string | null;
  PayerAccount: string | null;
  PayerInn: string | null;
  Counterparty: string | null;
  Purpose: string | null;
  Account: string | null;
  PaidMonth: string | null;
  Payment: string | null;
  Status: Status;
  Note: string | null;
  LineKey: string | null;
  /** Not written: the account's number as the file names it. */
  number?: string | null;
}

const unique = <T>(xs: (T | null | undefined)[]) => [...new Set(xs.filter((x): x is T => x != null && x !== ""))];

/** Refuses a file that cannot be read, naming its line (422, nothing written). */
function refuse(ctx: Ctx, e: unknown): never {
  if (e instanceof BankFileError) throw ctx.error(`Файл не загружен. ${e.message}`, { field: "file" });
  throw e;
}

/** The personal accounts by number as the files name them (codes; a shorter number padded with zeros). */
async function accountsByNumber(ctx: Ctx, numbers: string[]): Promise<Map<string, string>> {
  const padded = (n: string) => n.padStart(11, "0");
  const codes = unique([...numbers, ...numbers.map(padded)]);
  const out = new Map<string, string>();
  if (!codes.length) return out;
  const found = await ctx.query("catalog", "PersonalAccounts", { code: codes });
  const byCode = new Map(found.map((a) => [String(a.code), a.id]));
  for (const n of numbers) {
    const id = byCode.get(n) ?? byCode.get(padded(n));
    if (id) out.set(n, id);
  }
  return out;
}

/** The paid month a Payment would take from this line, or why it cannot (the line then waits for a person). */
function monthOf(period: string | null, purpose: string, date: string) {
  let month = period;
  if (!month) {
    const named = paidPeriodFromText(purpose);
    if (named && "error" in named) return { error: `в назначении ${named.error}` };
    month = named ? named.month : null;
  }
  if (month && monthStart(month) > monthStart(date))
    return { error: `период оплаты ${month.slice(5, 7)}.${month.slice(0, 4)} позже даты платежа` };
  return { month };
}

export async function importStatement(ctx: Ctx) {
  const p = ctx.params;
  const agentRegistry = p.format === "agent-registry";
  if (p.format && !agentRegistry)
    throw ctx.error(`Неизвестный формат «${p.format}»: укажите format=agent-registry или не указывайте`, {
      field: "format",
    });
  const agent = agentRegistry ? (p.agent ?? "") : null;
  if (agentRegistry) {
    const [a] = /^[0-9a-f-]{36}$/i.test(agent ?? "")
      ? await ctx.query("catalog", "Counterparties", { id: agent as string }, 1)
      : [];
    if (!a) throw ctx.error("Реестр платежного агента: укажите агента (agent=<id контрагента>)", { field: "agent" });
  }
  const fileName = (p.name ?? "").slice(0, 255);
  const t0 = performance.now();
  // ---- parse -----------------------------------------------------------------------------------
  let lines: Line[];
  const header: Record<string, unknown> = { FileName: fileName, Agent: agent };
  let orgAccount: string | null = null;
  let date: string;
  if (agentRegistry) {
    let reg: ReturnType<typeof readAgentRegistry>;
    try {
      reg = readAgentRegistry(ctx.file);
    } catch (e) {
      refuse(ctx, e);
    }
    const keys = registryLineKeys(reg.lines);
    lines = reg.lines.map((l, i) => ({
      BankNumber: String(l.line),
      BankDate: l.date,
      Amount: l.sum.toFixed(2),
      Commission: l.commission.toFixed(2),
      Payer: null,
      PayerAccount: null,
      PayerInn: null,
      Counterparty: agent,
      Purpose: `Реестр платежного агента: л/с ${l.account}${l.period ? ` за ${l.period.slice(5, 7)}.${l.period.slice(0, 4)}` : ""}`,
      Account: null,
      PaidMonth: l.period,
      Payment: null,
      Status: "Unposted",
      Note: null,
      LineKey: keys[i],
      number: l.account,
    }));
    const dates = unique(reg.lines.map((l) => l.date)).sort();
    header.PeriodStart = dates[0] ?? null;
    header.PeriodEnd = dates.at(-1) ?? null;
    header.TotalIn = reg.total.sum.toFixed(2);
    date = dates.at(-1) ?? new Date().toISOString().slice(0, 10);
  } else {
    let file: ReturnType<typeof readExchangeFile>;
    try {
      file = readExchangeFile(ctx.file);
    } catch (e) {
      refuse(ctx, e);
    }
    const keys = lineKeys(file.documents);
    // the configuration's pattern (matching.ts DEFAULT_ACCOUNT_PATTERN), not one from the request:
    // a regular expression from a user could keep a core busy for ever
    const matches = file.documents.map((d) => matchDocument(d));
    lines = file.documents.map((d, i) => {
      const m = matches[i];
      const out = d.direction === "outgoing";
      return {
        BankNumber: d.number.slice(0, 20),
        BankDate: d.operationDate,
        Amount: d.sum.toFixed(2),
        Commission: null,
        Payer: d.payer.name.slice(0, 300) || null,
        PayerAccount: d.payer.account.slice(0, 20) || null,
        PayerInn: d.payer.inn.slice(0, 12) || null,
        Counterparty: null,
        Purpose: d.purpose.slice(0, 1000) || null,
        Account: null,
        PaidMonth: m.period,
        Payment: null,
        Status: out ? "Outgoing" : "Unposted",
        Note: m.periodError
          ? `В назначении ${m.periodError}`
          : m.ambiguousAccounts.length
            ? `В назначении несколько лицевых счетов: ${m.ambiguousAccounts.join(", ")}`
            : null,
        LineKey: out ? null : keys[i],
        number: m.account,
      };
    });
    orgAccount = file.accounts[0] ?? null;
    const bal = file.balances.find((b) => b.account === orgAccount);
    header.BankAccount = orgAccount;
    header.PeriodStart = file.dateFrom ?? bal?.dateFrom ?? null;
    header.PeriodEnd = file.dateTo ?? bal?.dateTo ?? null;
    header.OpeningBalance = bal?.opening?.toFixed(2) ?? null;
    header.TotalIn = bal?.received?.toFixed(2) ?? null;
    header.TotalOut = bal?.writtenOff?.toFixed(2) ?? null;
    header.ClosingBalance = bal?.closing?.toFixed(2) ?? null;
    date = (header.PeriodEnd as string | null) ?? file.documents.at(-1)?.date ?? new Date().toISOString().slice(0, 10);
  }
  const t1 = performance.now();

  // ---- match -----------------------------------------------------------------------------------
  // One import at a time in the data area: the duplicate check below and the write are then atomic.
  await ctx.lock("BankStatement.import");
  const incoming = lines.filter((l) => l.Status !== "Outgoing");
  const held = new Map<string, string | null>();
  const keys = unique(incoming.map((l) => l.LineKey));
  for (let i = 0; i < keys.length; i += 5000)
    for (const r of await ctx.info.BankLineKeys.sliceLast(undefined, { LineKey: keys.slice(i, i + 5000) }))
      held.set(r.LineKey, r.Payment ?? null);
  const accounts = await accountsByNumber(ctx, unique(incoming.map((l) => l.number)));
  const inns = unique(incoming.map((l) => l.PayerInn));
  const counterparties = new Map(
    inns.length ? (await ctx.query("catalog", "Counterparties", { Inn: inns })).map((c) => [String(c.Inn), c.id]) : [],
  );
  if (!agentRegistry && orgAccount) {
    const [org] = await ctx.query("catalog", "Organizations", { BankAccount: orgAccount }, 1);
    header.Organization = org?.id ?? null;
  }
  const drafts: { line: Line; index: number; draft: LineDraft }[] = [];
  lines.forEach((l, index) => {
    if (l.Status === "Outgoing") return;
    if (l.LineKey && held.has(l.LineKey)) {
      l.Status = "Duplicate";
      l.Payment = held.get(l.LineKey) ?? null;
      l.Note = "Строка уже загружена другой выпиской";
      l.LineKey = null;
      return;
    }
    if (!agentRegistry) l.Counterparty = legalPayerByInn(l.PayerInn, counterparties);
    const account = l.number ? accounts.get(l.number) : undefined;
    if (!account) {
      l.Note ??= l.number
        ? `Лицевой счет ${l.number} не найден`
        : l.Counterparty
          ? "Плательщик — контрагент; лицевой счет в назначении не указан"
          : "В назначении не указан лицевой счет";
      return;
    }
    if (l.Note) return; // a period that is no month, several accounts: a person decides
    const lineDate = l.BankDate ?? date;
    const month = monthOf(l.PaidMonth, l.Purpose ?? "", lineDate);
    if ("error" in month) {
      l.Note = `Не разнесено: ${month.error}`;
      return;
    }
    l.Account = account;
    l.PaidMonth = month.month;
    drafts.push({
      line: l,
      index,
      draft: {
        date: lineDate,
        amount: new Decimal(l.Amount),
        account,
        paidMonth: month.month,
        purpose: l.Purpose ?? "",
        agent,
      },
    });
  });
  const t2 = performance.now();

  const fresh = lines.filter((l) => l.Status !== "Duplicate" && l.Status !== "Outgoing");
  if (!fresh.length)
    return {
      statement: null,
      message: lines.some((l) => l.Status === "Duplicate")
        ? "Все строки файла уже загружены: ничего не создано"
        : "В файле нет поступлений: ничего не создано",
      lines: lines.map(answerLine),
      counts: counts(lines),
      timings: { parseMs: Math.round(t1 - t0), matchMs: Math.round(t2 - t1), postMs: 0 },
    };

  // ---- post ------------------------------------------------------------------------------------
  // In date order (the file's order within a day): a payment's distribution reads the account's
  // debt just before it, so an earlier payment must be posted first.
  drafts.sort((a, b) => (a.draft.date < b.draft.date ? -1 : a.draft.date > b.draft.date ? 1 : a.index - b.index));
  const ids = await ctx.createDocuments(
    "Payment",
    drafts.map((d) => paymentBody(d.draft, d.index, fileName ? `«${fileName}»` : `от ${date}`)),
    { post: true },
  );
  const tp = performance.now();
  drafts.forEach((d, i) => {
    d.line.Payment = ids[i];
    d.line.Status = "Posted";
  });
  const statement = await ctx.createDocument(
    "BankStatement",
    { ...header, date: `${date}T23:59:59`, Lines: lines.map(({ number: _, ...rest }) => rest) },
    { post: true },
  );
  const t3 = performance.now();
  return {
    statement: { id: statement.id, number: statement.number, date: statement.date },
    lines: lines.map(answerLine),
    counts: counts(lines),
    timings: {
      parseMs: Math.round(t1 - t0),
      matchMs: Math.round(t2 - t1),
      postMs: Math.round(t3 - t2),
      // of post: the payments (batch path) and the statement (its lines, keys and entries)
      paymentsMs: Math.round(tp - t2),
      statementMs: Math.round(t3 - tp),
    },
  };
}

function answerLine(l: Line, i: number) {
  return {
    line: i + 1,
    number: l.BankNumber,
    date: l.BankDate,
    amount: l.Amount,
    commission: l.Commission,
    payer: l.Payer,
    inn: l.PayerInn,
    counterparty: l.Counterparty,
    purpose: l.Purpose,
    accountNumber: l.number ?? null,
    account: l.Account,
    period: l.PaidMonth,
    payment: l.Payment,
    status: l.Status,
    note: l.Note,
    key: l.LineKey,
  };
}

function counts(lines: Line[]) {
  const n = (s: Status) => lines.filter((l) => l.Status === s).length;
  return { posted: n("Posted"), unposted: n("Unposted"), duplicates: n("Duplicate"), outgoing: n("Outgoing") };
}
