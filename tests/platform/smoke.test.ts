import { expect } from "chai";
import { testPlatform } from "../helpers/db.ts";

describe("platform smoke", () => {
  it("migrates the warehouse fixture and connects as the application role", async () => {
    const p = await testPlatform();
    try {
      const r = await p.db.app.query(
        "SELECT current_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su",
      );
      expect(r.rows[0].u).to.equal(p.db.appRole);
      expect(r.rows[0].su).to.equal(false);
      const t = await p.db.owner.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'cat_%'");
      expect(t.rows[0].n).to.be.greaterThan(2);
    } finally {
      await p.close();
    }
  });
});
