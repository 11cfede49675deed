/**
 * @module An export job's page in a real Chromium against a real `sneakernet serve` and a real Azurite: each
 * drive's capacity, the drive a later one waits for, the filling drive's bar moving by progress events (its
 * bytes to copy known only once the station has planned it), the first drive's manifest backup and incomplete
 * blob list as links, and the job's line on what did not fit, with the list's URI to copy; the log's snapshot
 * and Last-Modified columns; English and French, without an axe-core violation.
 */

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import { startTestAzurite } from "../support/azurite.js";
import { TMP } from "../support/db.js";
import { EXPORT_SNAPSHOT, writeSampleExportLogs } from "../support/drive-logs.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";
import { apiCall, cliToken, type ServerProcess, startServerProcess } from "../support/server.js";
import { cellsOutOfView, fitsWidth, launchOrSkip, screenshot, seriousViolations } from "./browser.js";

const azurite = await startTestAzurite("web-export-job");
const dir = join(TMP, `web-export-job-${process.pid}`);
const dataDir = join(dir, "data");
const SUB = "6f1d2a3b-0000-4000-8000-0000000000ee";
const V = "api-version=2021-01-01";
const WAIT = { timeout: 15_000 };
const JOB = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/photos-out`;
const [FILLED, FILLING, NEXT] = ["EXPDRV01", "EXPDRV02", "EXPDRV03"];

let server: ServerProcess;
let browser: Browser | undefined;
const tokens = { ada: "", alice: "", bay: "", root: "" };
let reports: Awaited<ReturnType<typeof writeSampleExportLogs>>;
let manifestUri = "";

const token = (args: string[]) => cliToken(dataDir, args);

const call = (who: keyof typeof tokens, method: string, path: string, body?: unknown) =>
  apiCall(server.url, tokens[who], method, path, body);

describe("an export job's page", () => {
  before(async () => {
    server = await startServerProcess(["--data-dir", dataDir, "--no-azurite", "--no-station"]);
    tokens.ada = await token(["--role", "customer", "--subscription", SUB, "--name", "ada"]);
    tokens.alice = await token(["--role", "operator", "--name", "alice"]);
    tokens.bay = await token(["--role", "station", "--name", "bay-1"]);
    tokens.root = await token(["--role", "admin", "--name", "root"]);
    await call("root", "PUT", "/ops/v1/admin/storage-accounts/devstoreaccount1", {
      blobEndpoint: azurite.endpoint(),
      credential: { type: "accountKey", secret: DEV_ACCOUNT_KEY },
    });
    await call("ada", "PUT", `${JOB}?${V}`, {
      location: "West US",
      properties: {
        jobType: "Export",
        logLevel: "Verbose",
        backupDriveManifest: true,
        storageAccountId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        returnAddress: RETURN_ADDRESS,
        export: { blobList: { blobPathPrefix: ["/photos/"] } },
      },
    });
    await call("ada", "PATCH", `${JOB}?${V}`, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "UPS", trackingNumber: "UPS-EXP" } },
    });
    await call("alice", "POST", "/ops/v1/packages/receive", {
      carrier: "UPS",
      tracking: "UPS-EXP",
      drives: [FILLED, FILLING],
    });
    // The third drive registered by hand, with its capacity; the first two have none recorded.
    await call("alice", "POST", "/ops/v1/drives/register", { job: JOB, drive: NEXT, capacity: "2TB" });
    await call("bay", "POST", "/ops/v1/stations/register", { name: "bay-1" });

    // The first drive filled: a snapshot did not fit; its logs, manifest backup and incomplete list written.
    reports = await writeSampleExportLogs(azurite, "photos-out", FILLED);
    manifestUri = `${azurite.endpoint()}/waimportexport/waies/photos-out_${FILLED}_manifest.xml`;
    await call("bay", "POST", `/ops/v1/drives/${FILLED}/claim`);
    await call("bay", "POST", `/ops/v1/drives/${FILLED}/progress`, {
      bytesSucceeded: 3000,
      bytesTotal: 3000,
    });
    await call("bay", "POST", `/ops/v1/drives/${FILLED}/finish`, {
      state: "CompletedMoreInfo",
      errorCount: 0,
      warningCount: 0,
      infoCount: 1,
      manifestUri,
      ...reports,
    });
    // The second claimed: planning, its bytes to copy not known yet.
    await call("bay", "POST", `/ops/v1/drives/${FILLING}/claim`);
    await call("bay", "POST", `/ops/v1/drives/${FILLING}/progress`, { bytesSucceeded: 0, bytesTotal: 0 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows capacities, the waiting drive, the moving bar, the links and what did not fit, in English and French", async (t) => {
    browser = await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await context.newPage();
    page.on("pageerror", (error) => {
      throw error;
    });
    await page.goto(server.url);
    await page.getByLabel("Token", { exact: true }).fill(tokens.ada);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor(WAIT);
    await page.goto(`${server.url}/jobs/${SUB}/rg1/photos-out`);

    // The drive table: a capacity column, the third drive waiting for the second.
    const row = (serial: string) => page.locator(`tr[data-drive="${serial}"]`);
    await row(NEXT).waitFor(WAIT);
    await page.getByRole("columnheader", { name: "Capacity" }).waitFor();
    assert.equal(await row(NEXT).locator('td[data-label="Capacity"]').innerText(), "2 TB");
    assert.equal(await row(FILLED).locator('td[data-label="Capacity"]').innerText(), "—");
    assert.equal(
      await row(NEXT).locator('td[data-label="Copy status"]').innerText(),
      `Waits for drive ${FILLING}`,
    );
    assert.notEqual(await row(FILLING).locator('td[data-label="Copy status"]').innerText(), "");
    assert.doesNotMatch(await row(FILLING).locator('td[data-label="Copy status"]').innerText(), /Waits/);

    // The first drive's links: its manifest backup and its incomplete blob list.
    assert.equal(
      await row(FILLED).getByRole("link", { name: "Manifest backup" }).getAttribute("href"),
      manifestUri,
    );
    assert.equal(
      await row(FILLED).getByRole("link", { name: "Incomplete blob list" }).getAttribute("href"),
      reports.incompleteBlobListUri,
    );
    assert.equal(await row(FILLING).getByRole("link").count(), 0);

    // What did not fit: the count from the drive's error log, the list's link, its URI to copy.
    const incomplete = page.getByRole("region", { name: "What did not fit" });
    await incomplete
      .getByText("Not everything fit on the drives. Blobs with no room left: 1.", { exact: false })
      .waitFor(WAIT);
    assert.match(
      await incomplete.locator("p").innerText(),
      /The incomplete blob list names every blob not exported; it can be the blobListBlobPath of a follow-up export job\./,
    );
    assert.equal(
      await incomplete.getByRole("link", { name: "incomplete blob list" }).getAttribute("href"),
      reports.incompleteBlobListUri,
    );
    const field = incomplete.getByLabel("Incomplete blob list URI");
    assert.equal(await field.inputValue(), reports.incompleteBlobListUri);
    await incomplete.getByRole("button", { name: "Copy" }).click();
    await incomplete.getByRole("button", { name: "Copied" }).waitFor(WAIT);
    assert.equal(
      await page.evaluate<string>("navigator.clipboard.readText()"),
      reports.incompleteBlobListUri,
    );
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "job-page-export-en");

    // The station has planned the second drive: its bar moves by event, without a reload.
    const bar = row(FILLING).getByRole("progressbar");
    assert.equal(await bar.getAttribute("aria-valuenow"), "0");
    await call("bay", "POST", `/ops/v1/drives/${FILLING}/progress`, {
      bytesSucceeded: 500,
      bytesTotal: 1000,
    });
    await page.locator(`tr[data-drive="${FILLING}"] [role="progressbar"][aria-valuenow="50"]`).waitFor(WAIT);

    // The first drive's verbose log: the snapshot and Last-Modified columns.
    await row(FILLED).getByRole("button", { name: "Verbose log" }).click();
    const rows = page.locator(`tr[data-log-of="${FILLED}"] table.drive-log-rows tbody tr`);
    await rows.nth(2).waitFor(WAIT);
    await page.getByRole("columnheader", { name: "Snapshot" }).waitFor();
    await page.getByRole("columnheader", { name: "Last modified" }).waitFor();
    assert.equal(await rows.nth(0).locator('td[data-label="Snapshot"]').innerText(), EXPORT_SNAPSHOT);
    assert.equal(await rows.nth(1).locator('td[data-label="Snapshot"]').innerText(), "");
    assert.match(await rows.nth(0).locator('td[data-label="Last modified"]').innerText(), /Jan 15, 2026/);

    // On a phone the table reads as cards, within the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "job-page-export-phone-en");
    assert.ok(await fitsWidth(page), "the page fits a phone's width");
    assert.deepEqual(await cellsOutOfView(page), []);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("region", { name: "Ce qui n’a pas tenu" }).waitFor(WAIT);
    await page
      .getByText("Tout n’a pas tenu sur les disques. Blobs sans place : 1.", { exact: false })
      .waitFor();
    await page.getByRole("columnheader", { name: "Capacité" }).waitFor();
    await page.getByRole("columnheader", { name: "Instantané" }).waitFor();
    assert.equal(
      await row(NEXT).locator('td[data-label="État de la copie"]').innerText(),
      `Attend le disque ${FILLING}`,
    );
    // Copied already: the button says so in French too.
    await page.getByRole("button", { name: "Copié" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "job-page-export-fr");
    await page.getByLabel("Langue").selectOption("en");
    await context.close();
  });

  it("an export job with nothing left out has no line on what did not fit", async (t) => {
    if (!browser) {
      t.skip("no Chromium");
      return;
    }
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel("Token", { exact: true }).fill(tokens.ada);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor(WAIT);
    await call("ada", "PUT", `${JOB.replace("photos-out", "quiet-out")}?${V}`, {
      location: "West US",
      properties: {
        jobType: "Export",
        storageAccountId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        returnAddress: RETURN_ADDRESS,
        export: { blobList: { blobPathPrefix: ["/"] } },
      },
    });
    await page.goto(`${server.url}/jobs/${SUB}/rg1/quiet-out`);
    await page.getByRole("heading", { name: "Drives", exact: true }).first().waitFor(WAIT);
    await page.getByText("Drives are registered when the data center receives them.").waitFor();
    assert.equal(await page.getByRole("region", { name: "What did not fit" }).count(), 0);
    await context.close();
  });
});
