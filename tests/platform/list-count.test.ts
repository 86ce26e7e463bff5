// Paged lists: count=false leaves the total out (null) unless the page itself shows where the
// list ends, so a client can ask for rows and the count separately; a bad value is a 400.
import { expect } from "chai";
import { startApi, type Api } from "./api-client.ts";

describe("lists: the total on demand", function () {
  this.timeout(60_000);
  let api: Api;
  before(async () => {
    api = await startApi();
    for (let i = 0; i < 25; i++) await api.post("/api/catalogs/Warehouses", { name: `Склад ${i}` });
  });
  after(() => api?.close());

  it("gives the total by default, null with count=false unless the page ends the list", async () => {
    expect((await api.get("/api/catalogs/Warehouses?limit=10")).body.total).to.equal(25);
    const a = await api.get("/api/catalogs/Warehouses?limit=10&count=false");
    expect(a.body.rows).to.have.length(10);
    expect(a.body.total).to.equal(null);
    expect((await api.get("/api/catalogs/Warehouses?offset=20&limit=10&count=false")).body.total).to.equal(25);
    expect((await api.get("/api/catalogs/Warehouses?limit=100&count=false")).body.total).to.equal(25);
    expect((await api.get("/api/catalogs/Warehouses?offset=30&limit=10&count=false")).body.total).to.equal(null);
    const bad = await api.get("/api/catalogs/Warehouses?count=maybe");
    expect(bad.status).to.equal(400);
    expect(bad.body.error.field).to.equal("count");
  });
});
