import { it } from "node:test";
import { freshSqlite } from "../support/db.js";
import { startTestServer, TestClock } from "../support/server.js";
import { World, jobPath } from "./ops-helpers.js";

it("probe", async () => {
  const db = freshSqlite("probe");
  const clock = new TestClock();
  const server = await startTestServer(db.url, clock);
  const w = new World(server, clock);
  await w.init();
  await w.registerStations();
  const A = w.cast.stationA;
  // 1. Completed with errors
  await w.createImport("p1", ["P1-D1"]);
  await w.ship("p1", "T-P1");
  await w.receive("T-P1", ["P1-D1"]);
  await w.claim(A, "P1-D1");
  await w.progress(A, "P1-D1", { bytesSucceeded: 1, bytesTotal: 1 });
  console.log("finish Completed errorCount 2:", (await w.finish(A, "P1-D1", { state: "Completed", errorCount: 2 })).status);
  console.log("state:", (await w.job("p1")).properties.state);
  console.log("ship:", (await w.shipBack("p1", "R-P1")).status, (await w.job("p1")).properties.state);
  // 2. receive for a canceled job
  await w.createImport("p2", ["P2-D1"]);
  await w.customerCall("PATCH", jobPath("p2"), { properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "T-P2" } } });
  await w.customerCall("PATCH", jobPath("p2"), { properties: { cancelRequested: true } });
  const r2 = await w.receive("T-P2", ["P2-D1"]);
  console.log("receive canceled:", r2.status, r2.text.slice(0, 300));
  // 3. held twice
  await w.createImport("p3", ["P3-D1"]);
  await w.customerCall("PATCH", jobPath("p3"), { properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "T-P3" } } });
  console.log("held:", (await w.receive("T-P3", ["P3-D1"])).status);
  const r3 = await w.receive("T-P3", ["P3-D1"]);
  console.log("held twice:", r3.status, r3.text.slice(0, 300));
  // held, then the customer records a different tracking
  const r3b = await w.recordTracking("p3", "T-P3-OTHER");
  console.log("track other:", r3b.status, (await w.job("p3")).properties.state, JSON.stringify((await w.job("p3")).properties.driveList));
  // 4. shipDate garbage
  await w.createImport("p4", ["P4-D1"]);
  await w.ship("p4", "T-P4");
  await w.receive("T-P4", ["P4-D1"]);
  await w.copy(A, "P4-D1");
  const r4 = await w.shipBack("p4", "R-P4", { shipDate: "not a date" });
  console.log("shipDate garbage:", r4.status, JSON.stringify((await w.job("p4")).properties.returnPackage));
  // 5. found with an unknown package
  await w.createImport("p5", ["P5-D1", "P5-D2"]);
  await w.ship("p5", "T-P5");
  await w.receive("T-P5", ["P5-D1"]);
  const r5 = await w.found("P5-D2", "NO-SUCH-PACKAGE");
  console.log("found unknown pkg:", r5.status, r5.text.slice(0, 200));
  // 6. register on an import job, and on an export job in Creating
  const r6 = await w.call("POST", "/ops/v1/drives/register", w.cast.operator, { job: "/subscriptions/" + (await w.job("p5")).id.split("/")[2] + "/resourceGroups/rg-ops/providers/Microsoft.ImportExport/jobs/p5", drive: "P5-X" });
  console.log("register on import:", r6.status, r6.text.slice(0, 200));
  await w.createExport("p6");
  const r6b = await w.call("POST", "/ops/v1/drives/register", w.cast.operator, { job: (await w.job("p6")).id, drive: "P6-E1" });
  console.log("register on creating export:", r6b.status, r6b.text.slice(0, 200));
  // 7. station name registration twice, claim without registration
  const again = await w.call("POST", "/ops/v1/stations/register", A, { name: "bay-3" });
  console.log("register twice:", again.status);
  const { createToken } = await import("../../src/app/tokens.js");
  const fresh = (await createToken(server.deps, { role: "station", label: "unreg" })).token;
  await w.createImport("p7", ["P7-D1"]); await w.ship("p7", "T-P7"); await w.receive("T-P7", ["P7-D1"]);
  const c7 = await w.claim(fresh, "P7-D1");
  console.log("claim unregistered:", c7.status, c7.text.slice(0, 200));
  // 8. export job timeouts / receive for export job Creating 
  // 9. queue answer size / keys
  const q = await w.call("GET", "/ops/v1/queue", w.cast.operator);
  console.log("queue sample:", q.text.slice(0, 1500));
  await server.close(); db.cleanup();
});
