// A posting writes all its small record sets in one prepared statement named by the write
// functions it calls (server/registers/post.ts#preparedName). PostgreSQL truncates a name to
// 63 bytes (with only a notice), so two combinations sharing their first 63 bytes would share a
// prepared statement of another text: past the limit the name is the combination's hash.
import { expect } from "chai";
import { preparedName } from "../../server/registers/post.ts";

describe("registers: the posting statement's prepared name", () => {
  it("is the functions' names joined while it fits in 63 bytes", () => {
    expect(preparedName(["acc_stock__write", "acc_sales__write"])).to.equal("acc_stock__write+acc_sales__write");
  });

  it("past 63 bytes: a hash, at most 63 bytes, different for combinations that share their first 63 bytes", () => {
    const a = ["acc_accounting__write", "acc_penalties__write", "acc_settlements__write"];
    const b = ["acc_accounting__write", "acc_penalties__write", "acc_settlements__write_other"];
    expect(a.join("+").slice(0, 63)).to.equal(b.join("+").slice(0, 63));
    const [na, nb] = [preparedName(a), preparedName(b)];
    expect(Buffer.byteLength(na)).to.be.at.most(63);
    expect(Buffer.byteLength(nb)).to.be.at.most(63);
    expect(na).to.not.equal(nb);
    expect(preparedName(a)).to.equal(na); // stable: the same combination reuses its statement
  });
});
