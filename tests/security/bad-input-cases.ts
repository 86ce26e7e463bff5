/**
 * The hostile requests of the bad-input suite (bad-input.test.ts), built from the ids of the
 * demo data. `as` picks the session (admin by default, "auditor" read-only, "other" the
 * administrator of area 2, null none); `csrf: false` leaves the CSRF header out. Not a test file.
 */
export interface Hostile {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  as?: "admin" | "auditor" | "other" | null;
  csrf?: boolean;
  headers?: Record<string, string>;
  /** The statuses accepted (default: any 4xx). */
  status?: number[];
  /** The error's `field` expected (the refused field or parameter named). */
  field?: string;
  /** What the message must say (e.g. the limit). */
  message?: RegExp;
}

export const SQLI = [
  "' OR '1'='1",
  "1; DROP TABLE _users; --",
  '" OR 1=1 --',
  "') UNION SELECT password FROM _users --",
  "1' AND pg_sleep(5) --",
  "$1",
  "%' OR area=2 --",
];
export const XSS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "{{constructor.constructor('alert(1)')()}}",
];
export const UNICODE = [
  "\u202eRTL\u202c",
  "NUL\u0000byte",
  "lone\ud800surrogate",
  "\udfff",
  "zero\u200bwidth\ufeff",
  "\u0007bell\u001b[31m",
];
const ALL = [...SQLI, ...XSS, ...UNICODE];
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd"));
/** Path-safe form of a string (lone surrogates cannot be percent-encoded: use their replacement). */
const pathEnc = (s: string) => enc(s.replace(/[\ud800-\udfff]/g, "\ufffd"));

function nested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

export function hostileRequests(ids: Record<string, string>): Hostile[] {
  const out: Hostile[] = [];
  const add = (h: Hostile) => out.push(h);

  // Names and ids in the path.
  for (const x of ALL) {
    const p = pathEnc(x);
    add({ label: `catalog name ${JSON.stringify(x)}`, method: "GET", path: `/api/catalogs/${p}`, status: [404] });
    add({ label: `document name`, method: "POST", path: `/api/documents/${p}`, body: {}, status: [404] });
    add({ label: `register name`, method: "GET", path: `/api/registers/${p}/balance`, status: [404] });
    add({ label: `catalog id`, method: "GET", path: `/api/catalogs/PersonalAccounts/${p}`, status: [400] });
    add({ label: `document id on write`, method: "PUT", path: `/api/documents/Payment/${p}`, body: {}, status: [400] });
    add({ label: `document id on post`, method: "POST", path: `/api/documents/Payment/${p}/post`, status: [400] });
    add({ label: `catalog id on delete`, method: "DELETE", path: `/api/catalogs/Services/${p}`, status: [400] });
    add({
      label: `report name`,
      method: "POST",
      path: `/api/reports/${p}/render?format=html`,
      body: {},
      status: [404],
    });
    add({ label: `tabular part name`, method: "POST", path: `/api/documents/GroupAccrual/fill/${p}`, status: [404] });
    add({ label: `constant name`, method: "PUT", path: `/api/constants/${p}`, body: { value: 1 }, status: [404] });
  }

  // Query parameters.
  for (const x of ALL) {
    const q = enc(x);
    add({
      label: `sort ${JSON.stringify(x)}`,
      method: "GET",
      path: `/api/catalogs/PersonalAccounts?sort=${q}`,
      status: [400],
    });
    add({ label: `unknown filter`, method: "GET", path: `/api/documents/Payment?${q}=1`, status: [400] });
    add({ label: `limit`, method: "GET", path: `/api/catalogs/Services?limit=${q}`, status: [400] });
    add({ label: `date at`, method: "GET", path: `/api/registers/Settlements/balance?at=${q}`, status: [400] });
    add({
      label: `dimension filter`,
      method: "GET",
      path: `/api/registers/Settlements/balance?Account=${q}`,
      status: [400],
    });
    add({
      label: `periodicity`,
      method: "GET",
      path: `/api/registers/Accruals/turnovers?from=2011-01-01&to=2011-12-31&periodicity=${q}`,
      status: [400],
    });
    add({ label: `ref filter`, method: "GET", path: `/api/documents/Payment?Account=${q}`, status: [400] });
  }
  for (const [k, v] of [
    ["limit", "-1"],
    ["limit", "1e309"],
    ["limit", "NaN"],
    ["limit", "99999999999999999999"],
    ["offset", "-5"],
    ["offset", "Infinity"],
    ["limit", "1001"],
    ["search", "x".repeat(201)],
    ["search", "a\u0000b"],
    ["post", "maybe"],
  ])
    add({
      label: `query ${k}=${v.slice(0, 20)}`,
      method: k === "post" ? "POST" : "GET",
      path: `/api/${k === "post" ? "documents/Payment" : "catalogs/PersonalAccounts"}?${k}=${enc(v)}`,
      body: k === "post" ? {} : undefined,
      status: [400],
    });
  add({ label: "repeated parameter", method: "GET", path: "/api/catalogs/Services?limit=1&limit=2", status: [400] });
  add({ label: "array parameter", method: "GET", path: "/api/catalogs/Services?sort[]=name", status: [400] });
  add({ label: "nested parameter", method: "GET", path: "/api/catalogs/Services?sort[a][b]=1", status: [400] });
  add({
    label: "from after to",
    method: "GET",
    path: "/api/registers/Accruals/turnovers?from=2012-01-01&to=2011-01-01",
    status: [400],
  });
  add({
    label: "date 2011-02-30",
    method: "GET",
    path: "/api/registers/Settlements/balance?at=2011-02-30",
    status: [400],
  });
  add({ label: "year 99999", method: "GET", path: "/api/registers/Settlements/balance?at=99999-01-01", status: [400] });

  // Bodies: unknown fields named with hostile strings, and hostile values in typed fields.
  for (const x of ALL) {
    add({
      label: `unknown field ${JSON.stringify(x)}`,
      method: "POST",
      path: "/api/catalogs/Services",
      body: { name: "x", [x]: 1 },
      status: [400],
    });
    add({
      label: `hostile reference`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: x, Amount: "1" },
      status: [400],
    });
    add({
      label: `hostile enum`,
      method: "POST",
      path: "/api/catalogs/Services",
      body: { name: "x", CalculationMethod: x },
      status: [400],
    });
    add({
      label: `hostile number`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: x },
      status: [400],
    });
    add({
      label: `hostile date`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: "1", PaidMonth: x },
      status: [400],
    });
  }
  for (const x of UNICODE) {
    add({
      label: `exotic text in a string field ${JSON.stringify(x)}`,
      method: "POST",
      path: "/api/catalogs/Services",
      body: { name: x, CalculationMethod: "ByTotalArea" },
      status: [400],
    });
    add({
      label: `exotic text in a document string`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: "1", Source: x },
      status: [400],
    });
    add({
      label: `exotic text in a comment on write`,
      method: "PUT",
      path: `/api/catalogs/Services/${ids.service}`,
      body: { name: x },
      status: [400],
    });
    add({
      label: `exotic login`,
      method: "POST",
      path: "/api/auth/login",
      body: { login: x, password: "whatever-1" },
      as: null,
      status: [400, 401],
    });
  }
  for (const x of [...SQLI, ...XSS]) {
    add({
      label: `too long text ${JSON.stringify(x)}`,
      method: "POST",
      path: "/api/catalogs/Services",
      body: { name: x.repeat(200), CalculationMethod: "ByTotalArea" },
      status: [400],
    });
    add({
      label: `login with injection`,
      method: "POST",
      path: "/api/auth/login",
      body: { login: x, password: x },
      as: null,
      status: [401],
    });
  }
  const amounts: unknown[] = [
    "1e400",
    "-1e400",
    1e308,
    "99999999999999999.99",
    "12.345",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "1,5",
    " ",
    true,
    [],
    {},
    "١٢٣",
    "１２３",
    "1e-400",
    "--1",
    "+-1",
  ];
  for (const a of amounts)
    add({
      label: `amount ${JSON.stringify(a)}`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: a },
      status: [400],
    });
  for (const v of [
    [1, 2],
    "x",
    { a: 1 },
    [{ Service: "not-a-uuid" }],
    [{ Service: ids.service, Amount: "1e99" }],
    [{ Service: ids.service, Extra: 1 }],
    [null],
    [[]],
  ]) {
    add({
      label: `tabular part ${JSON.stringify(v).slice(0, 40)}`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: "1", Services: v },
      status: [400],
    });
  }
  for (const d of [
    "2011-13-01T00:00:00",
    "2011-02-30T00:00:00",
    "0000-01-01T00:00:00",
    "99999-01-01T00:00:00",
    "2011-01-01T25:00:00",
    "yesterday",
    20110101,
    "2011-01-01T00:00:00Z",
    "2011-01-01 00:00:00; DROP",
  ]) {
    add({
      label: `document date ${JSON.stringify(d)}`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { date: d, Account: ids.account, Amount: "1" },
      status: [400],
    });
  }
  add({
    label: "id in the body",
    method: "POST",
    path: "/api/catalogs/Services",
    body: { id: ids.service, name: "x" },
    status: [400, 422],
  });
  add({
    label: "area in the body",
    method: "POST",
    path: "/api/catalogs/Services",
    body: { area: 2, name: "x" },
    status: [400],
  });
  add({
    label: "__proto__ in the body",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: '{"name":"x","__proto__":{"isAdmin":true}}',
    status: [400],
  });
  add({
    label: "constructor in the body",
    method: "POST",
    path: "/api/catalogs/Services",
    body: { name: "x", constructor: { prototype: { x: 1 } } },
    status: [400],
  });
  add({
    label: "version as text",
    method: "PUT",
    path: `/api/catalogs/Services/${ids.service}`,
    body: { version: "1; DROP" },
    status: [400],
  });

  // Body shapes.
  for (const [label, raw] of [
    ["malformed JSON", '{"name": '],
    ["NaN literal", '{"name":"x","Normative":NaN}'],
    ["single quotes", "{'name':'x'}"],
    ["trailing comma", '{"name":"x",}'],
    ["top-level string", '"x"'],
    ["top-level number", "42"],
    ["top-level null", "null"],
    ["top-level array", "[]"],
    ["top-level true", "true"],
    ["deep array 100k", nested(100_000)],
    ["deep array 5k", nested(5_000)],
    ["deep object", '{"a":'.repeat(3000) + "1" + "}".repeat(3000)],
    ["deep object in a field", '{"name":' + '{"a":'.repeat(2000) + "1" + "}".repeat(2000) + "}"],
    ["duplicate keys", '{"name":"a","name":{"$ne":1}}'],
    ["oversized body", JSON.stringify({ name: "x", comment: "y".repeat(3 * 1024 * 1024) })],
    ["BOM and garbage", "\ufeff{{{"],
    ["lone surrogate escape in key", '{"\\ud800":1}'],
  ] as const) {
    add({ label, method: "POST", path: "/api/catalogs/Services", raw });
  }
  // Issue 13 §6: depth, encodings, dates past 9999-11, times in date-only fields, id/posted in bodies.
  const deep = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
  const DEPTH = /не глубже 64|64 уровн/;
  add({
    label: "deep array 5k with an Idempotency-Key",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: nested(5_000),
    headers: { "idempotency-key": "deep-5000-a" },
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "deep field 5k with an Idempotency-Key",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: '{"name":' + deep(5_000) + "}",
    headers: { "idempotency-key": "deep-5000-b" },
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "deep document 5k with an Idempotency-Key",
    method: "PUT",
    path: `/api/documents/Payment/${ids.payment}`,
    raw: '{"comment":' + nested(5_000) + "}",
    headers: { "idempotency-key": "deep-5000-c" },
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "deep report parameter 5k",
    method: "POST",
    path: "/api/reports/receipt/render?format=html",
    raw: '{"period":' + nested(5_000) + "}",
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "deep report parameter 5k (object)",
    method: "POST",
    path: "/api/reports/debtors/render?format=html",
    raw: '{"date":' + deep(5_000) + "}",
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "deep report job parameter 5k",
    method: "POST",
    path: "/api/reports/receipt/jobs?format=pdf",
    raw: '{"period":' + nested(5_000) + "}",
    headers: { "idempotency-key": "deep-5000-d" },
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "65 levels",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: nested(65),
    status: [400, 413],
    message: DEPTH,
  });
  add({
    label: "brackets inside strings do not count",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: JSON.stringify({ name: "[".repeat(5_000) + '{\\"'.repeat(100) }),
    status: [400],
    field: "name",
  });
  add({
    label: "Content-Encoding br with garbage",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "garbage\u0000\u00ff",
    headers: { "content-encoding": "br" },
    status: [415],
    message: /gzip/,
  });
  add({
    label: "Content-Encoding deflate",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "garbage",
    headers: { "content-encoding": "deflate" },
    status: [415],
    message: /gzip/,
  });
  add({
    label: "Content-Encoding zstd",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "garbage",
    headers: { "content-encoding": "zstd" },
    status: [415],
  });
  add({
    label: "Content-Encoding gzip, br",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "garbage",
    headers: { "content-encoding": "gzip, br" },
    status: [415],
  });
  add({
    label: "Content-Encoding br on a report",
    method: "POST",
    path: "/api/reports/receipt/render?format=html",
    raw: "garbage",
    headers: { "content-encoding": "br" },
    status: [415],
  });
  add({
    label: "Content-Encoding gzip with garbage",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "garbage",
    headers: { "content-encoding": "gzip" },
    status: [400],
  });
  add({
    label: "receipt period 9999-12",
    method: "POST",
    path: "/api/reports/receipt/render?format=html",
    body: { period: "9999-12" },
    status: [422],
    field: "period",
    message: /9999/,
  });
  add({
    label: "receipt period 9999-12 as a job",
    method: "POST",
    path: "/api/reports/receipt/jobs?format=pdf",
    body: { period: "9999-12" },
    status: [422],
    field: "period",
  });
  add({
    label: "debtors date 9999-12-31",
    method: "POST",
    path: "/api/reports/debtors/render?format=html",
    body: { date: "9999-12-31" },
    status: [422],
    field: "date",
  });
  add({
    label: "payments register to 9999-12-01",
    method: "POST",
    path: "/api/reports/payments-register/render?format=csv",
    body: { from: "2011-01-01", to: "9999-12-01" },
    status: [422],
    field: "to",
  });
  for (const d of [
    "2011-01-01T99:99:99",
    "2011-01-01T12:00:00",
    "2011-01-01T24:00:00",
    "2011-01-01T00:00:60",
    "2011-01-01 25:00",
  ]) {
    add({
      label: `date-only field ${d}`,
      method: "POST",
      path: "/api/documents/Payment",
      body: { Account: ids.account, Amount: "1", PaidMonth: d },
      status: [400, 422],
      field: "PaidMonth",
    });
    add({
      label: `date-only catalog field ${d}`,
      method: "PUT",
      path: `/api/catalogs/PersonalAccounts/${ids.account}`,
      body: { Opened: d },
      status: [400, 422],
      field: "Opened",
    });
    add({
      label: `date-only report parameter ${d}`,
      method: "POST",
      path: "/api/reports/debtors/render?format=html",
      body: { date: d },
      status: [400, 422],
      field: "date",
    });
  }
  add({
    label: "date-only register period with a time",
    method: "POST",
    path: "/api/registers/KeyRates/records",
    body: { records: [{ period: "2024-01-01T99:99:99", Rate: "5" }] },
    status: [400, 422],
    field: "records[1].period",
  });
  add({
    label: "id in a new catalog item",
    method: "POST",
    path: "/api/catalogs/Services",
    body: { id: "00000000-0000-4000-8000-000000000001", name: "x", CalculationMethod: "ByTotalArea" },
    status: [400, 422],
    field: "id",
  });
  add({
    label: "id in a new document",
    method: "POST",
    path: "/api/documents/Payment",
    body: { id: ids.payment, Account: ids.account, Amount: "1" },
    status: [400, 422],
    field: "id",
  });
  add({
    label: "another id on write",
    method: "PUT",
    path: `/api/catalogs/Services/${ids.service}`,
    body: { id: "00000000-0000-4000-8000-000000000001", name: "x" },
    status: [400, 422],
    field: "id",
  });
  add({
    label: "another id on a document write",
    method: "PUT",
    path: `/api/documents/Payment/${ids.payment}`,
    body: { id: ids.accrual, comment: "x" },
    status: [400, 422],
    field: "id",
  });
  add({
    label: "posted in a new document",
    method: "POST",
    path: "/api/documents/Payment",
    body: { posted: true, Account: ids.account, Amount: "1" },
    status: [400, 422],
    field: "posted",
  });
  add({
    label: "posted on a document write",
    method: "PUT",
    path: `/api/documents/Payment/${ids.payment}`,
    body: { posted: false, comment: "x" },
    status: [400, 422],
    field: "posted",
  });
  add({
    label: "posted in a batch",
    method: "POST",
    path: "/api/documents/Payment/batch",
    body: { items: [{ posted: true, Account: ids.account, Amount: "1" }] },
    status: [400, 422],
    message: /posted/,
  });
  add({
    label: "posted on a catalog",
    method: "PUT",
    path: `/api/catalogs/Services/${ids.service}`,
    body: { posted: true },
    status: [400, 422],
    field: "posted",
  });
  add({
    label: "wrong content type",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: "name=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: [415],
  });
  add({
    label: "text/plain JSON",
    method: "POST",
    path: "/api/catalogs/Services",
    raw: '{"name":"x"}',
    headers: { "content-type": "text/plain" },
    status: [415],
  });
  add({ label: "body on a read-only route", method: "POST", path: "/api/metadata", body: { x: 1 }, status: [404] });
  add({
    label: "unknown method",
    method: "PATCH",
    path: `/api/catalogs/Services/${ids.service}`,
    body: { name: "x" },
    status: [404],
  });

  // Registers and constants.
  for (const body of [
    { records: "x" },
    { records: [{ period: "not a date", Rate: "1" }] },
    { records: [{ period: "2024-01-01", Rate: "1e99" }] },
    { records: [{ Rate: "5", period: "2024-02-30" }] },
    { records: [{ Rate: "5" }] },
    { records: [{ period: "2024-01-01", Rate: "5", Extra: 1 }] },
    { records: null },
    [],
    { records: [{ period: "2024-01-01", Rate: "<script>" }] },
  ]) {
    add({
      label: `register records ${JSON.stringify(body).slice(0, 50)}`,
      method: "POST",
      path: "/api/registers/KeyRates/records",
      body,
      status: [400, 422],
    });
  }
  for (const body of [{ keys: "x" }, { keys: [{ period: "' OR 1=1 --" }] }, {}, { keys: [{ Rate: 1 }] }]) {
    add({
      label: `register keys ${JSON.stringify(body).slice(0, 50)}`,
      method: "DELETE",
      path: "/api/registers/KeyRates/records",
      body,
      status: [400],
    });
  }
  add({
    label: "write a register that documents write",
    method: "POST",
    path: "/api/registers/Tariffs/records",
    body: { records: [] },
    status: [400, 403, 404, 405, 409, 422],
  });
  add({
    label: "write an accumulation register",
    method: "POST",
    path: "/api/registers/Settlements/records",
    body: { records: [] },
    status: [400],
  });

  // Reports and paths.
  for (const p of [
    "/api/reports/..%2F..%2Fpackage.json",
    "/api/reports/..%2f..%2fserver%2fmain.ts/render",
    "/api/reports/jobs/..%2F..%2Fetc%2Fpasswd",
    "/api/reports/jobs/00000000-0000-0000-0000-000000000000/result",
    "/api/catalogs/..%2F..%2F_users",
  ]) {
    add({ label: `path ${p}`, method: "GET", path: p, status: [400, 404] });
  }
  add({
    label: "report format",
    method: "POST",
    path: "/api/reports/receipt/render?format=exe",
    body: {},
    status: [400],
  });
  add({
    label: "report parameter injection",
    method: "POST",
    path: "/api/reports/receipt/render?format=html",
    body: { period: "2011-11' OR 1=1 --" },
    status: [400],
  });
  add({
    label: "report parameter type",
    method: "POST",
    path: "/api/reports/debtors/render?format=html",
    body: { at: { $gt: "" } },
    status: [400],
  });

  // Another area's ids (the administrator of area 2).
  for (const [m, p, body] of [
    ["GET", `/api/catalogs/PersonalAccounts/${ids.account}`],
    ["PUT", `/api/catalogs/PersonalAccounts/${ids.account}`, { name: "x" }],
    ["DELETE", `/api/catalogs/Buildings/${ids.building}`],
    ["GET", `/api/documents/Payment/${ids.payment}`],
    ["PUT", `/api/documents/Payment/${ids.payment}`, { comment: "x" }],
    ["POST", `/api/documents/Payment/${ids.payment}/unpost`],
    ["POST", `/api/documents/GroupAccrual/${ids.accrual}/post`],
    ["DELETE", `/api/documents/Payment/${ids.payment}`],
    ["GET", `/api/documents/GroupAccrual/${ids.accrual}/movements`],
    ["POST", `/api/documents/GroupAccrual/${ids.accrual}/fill/Accounts`],
  ] as [string, string, unknown?][]) {
    add({
      label: `other area ${m} ${p.split("/").slice(2, 4).join("/")}`,
      method: m,
      path: p,
      body,
      as: "other",
      status: [404],
    });
  }
  add({
    label: "other area's reference in a body",
    method: "POST",
    path: "/api/documents/Payment",
    body: { Account: ids.account, Amount: "1" },
    as: "other",
    status: [400, 404, 422],
  });

  // A read-only user writing well-formed data.
  for (const [m, p, body] of [
    ["POST", "/api/catalogs/Services", { name: "Новая", CalculationMethod: "ByTotalArea" }],
    ["PUT", `/api/catalogs/Services/${ids.service}`, { comment: "x" }],
    ["DELETE", `/api/catalogs/Services/${ids.service}`],
    ["POST", `/api/documents/Payment/${ids.payment}/unpost`],
    ["POST", "/api/documents/Payment?post=true", { Account: ids.account, Amount: "1" }],
    ["POST", "/api/registers/KeyRates/records", { records: [{ period: "2024-01-01", Rate: "5" }] }],
    ["PUT", "/api/constants/CompanyName", { value: "x" }],
    ["GET", "/api/users"],
    ["POST", "/api/users", { login: "evil", roles: ["Administrator"], password: "evil-pass-1" }],
  ] as [string, string, unknown?][]) {
    add({ label: `read-only ${m} ${p}`, method: m, path: p, body, as: "auditor", status: [403, 404] });
  }

  // Forged sessions and missing CSRF tokens.
  const forged = [
    "sid=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "sid=2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "sid=0.x",
    "sid=99999999999.x",
    "sid=' OR 1=1 --",
    "sid=1.%00",
    "sid=" + "A".repeat(4000),
    "sid=",
    "sid=1.<script>",
    "csrf=abc",
    "sid=-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ];
  for (const cookie of forged) {
    add({
      label: `forged cookie ${cookie.slice(0, 30)}`,
      method: "GET",
      path: "/api/catalogs/PersonalAccounts",
      headers: { cookie },
      as: null,
      status: [401],
    });
    add({
      label: `forged cookie on write ${cookie.slice(0, 30)}`,
      method: "POST",
      path: "/api/catalogs/Services",
      body: { name: "x" },
      headers: { cookie, "x-csrf-token": "abc" },
      as: null,
      status: [401],
    });
  }
  add({
    label: "no session at all",
    method: "DELETE",
    path: `/api/catalogs/Services/${ids.service}`,
    as: null,
    status: [401],
  });
  for (const [m, p, body] of [
    ["POST", "/api/catalogs/Services", { name: "x", CalculationMethod: "ByTotalArea" }],
    ["PUT", `/api/catalogs/Services/${ids.service}`, { comment: "x" }],
    ["DELETE", `/api/catalogs/Services/${ids.service}`],
    ["POST", `/api/documents/Payment/${ids.payment}/unpost`],
    ["POST", "/api/registers/KeyRates/records", { records: [{ period: "2024-01-01", Rate: "5" }] }],
    ["PUT", "/api/constants/CompanyName", { value: "x" }],
    ["POST", "/api/auth/logout"],
    ["POST", "/api/auth/password", { oldPassword: "x", newPassword: "yyyyyyyyyy" }],
    ["POST", "/api/users", { login: "x", roles: [] }],
  ] as [string, string, unknown?][]) {
    add({ label: `no CSRF ${m} ${p}`, method: m, path: p, body, csrf: false, status: [403] });
    add({
      label: `wrong CSRF ${m} ${p}`,
      method: m,
      path: p,
      body,
      csrf: false,
      headers: { "x-csrf-token": "' OR 1=1 --" },
      status: [403],
    });
  }
  add({
    label: "cross-site write",
    method: "POST",
    path: "/api/catalogs/Services",
    body: { name: "x" },
    headers: { origin: "http://evil.example" },
    status: [403],
  });

  // Login bodies.
  for (const body of [
    {},
    { login: "admin" },
    { password: "x" },
    { login: 1, password: "x" },
    { login: "admin", password: ["x"] },
    { login: "admin", password: "x".repeat(2000) },
    { login: "admin", password: "x", area: -1 },
    { login: "admin", password: "x", area: "1" },
    { login: "admin", password: "x", area: 1.5 },
    { login: "admin", password: "x", area: 1e20 },
    { login: "x".repeat(300), password: "x" },
    [],
  ]) {
    add({
      label: `login body ${JSON.stringify(body).slice(0, 40)}`,
      method: "POST",
      path: "/api/auth/login",
      body,
      as: null,
      status: [400],
    });
  }
  return out;
}
