// docs/penalties.md «The ПП № 474 cap through 31.12.2026 must be verified by the administrator»:
// the shipped 2025–2026 cap is unverified, and the doc's curl recipe is how the administrator
// corrects it. Run here literally (curl against a served demo): log in, read the CSRF cookie,
// write the record with the same From (it replaces the shipped one), delete one by its key.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { serve, TEST_ADMIN_PASSWORD } from "../platform/api-client.ts";
import { loadInitialData } from "../../server/initial-data.ts";

describe("docs/penalties.md: the administrator verifies the ПП 474 cap in PenaltyRateCaps", function () {
  let p: Platform;
  let server: Server;
  let base: string;
  let dir: string;
  /** The doc's recipe: log in with curl, then one more curl with the session and the CSRF token (async: the server answers in this process). */
  const curl = async (method: string, body: unknown): Promise<string> =>
    (
      await promisify(execFile)(
        "bash",
        [
          "-c",
          `set -e; cd "$DIR"
curl -s -c jar -H 'content-type: application/json' -d "{\\"login\\":\\"admin\\",\\"password\\":\\"$PASSWORD\\"}" $B/api/auth/login > /dev/null
CSRF=$(awk '$6=="csrf"{print $7}' jar)
curl -s -X ${method} -b jar -H "X-CSRF-Token: $CSRF" -H 'content-type: application/json' -d "$BODY" $B/api/registers/PenaltyRateCaps/records`,
        ],
        { env: { ...process.env, DIR: dir, B: base, PASSWORD: TEST_ADMIN_PASSWORD, BODY: JSON.stringify(body) } },
      )
    ).stdout;
  const caps = async () =>
    (await (await fetch(`${base}/api/registers/PenaltyRateCaps/records`)).json()).rows.map((r: any) => [
      r.From,
      r.To,
      String(r.Rate),
      r.Act,
    ]);

  before(async () => {
    p = await testPlatform(join(ROOT, "metadata"), "caps");
    expect(await loadInitialData(p, 1)).to.equal(true);
    ({ server, base } = await serve(p));
    dir = mkdtempSync(join(tmpdir(), "caps-"));
  });
  after(async () => {
    server?.closeAllConnections();
    server?.close();
    await p?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ships the 2025–2026 cap without the decree's number and date (to be verified), and the recipe replaces it by its From", async () => {
    const before = await caps();
    expect(before.map((c: string[]) => c[0])).to.deep.equal(["2022-02-28", "2025-01-01"]);
    expect(before[1][1]).to.equal("2026-12-31");
    expect(before[1][3]).to.not.match(/ от \d/); // no extending decree named by its date: unverified
    const written = await curl("POST", {
      records: [{ From: "2025-01-01", To: "2026-12-31", Rate: "9.5", Act: "ПП РФ от 01.02.2025 № 123 (проверено)" }],
    });
    expect(written, written).to.not.match(/error|ошибк/i);
    const after = await caps();
    expect(after).to.have.length(2);
    expect(after[1][0]).to.equal("2025-01-01");
    expect(after[1][3]).to.equal("ПП РФ от 01.02.2025 № 123 (проверено)");
    // another start date: delete the record by its key, then write the right one
    await curl("DELETE", { keys: [{ From: "2025-01-01" }] });
    expect((await caps()).map((c: string[]) => c[0])).to.deep.equal(["2022-02-28"]);
  });
});
