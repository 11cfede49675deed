/**
 * @module A drive's copy log in the portal, in a real Chromium against a real `sneakernet serve` and a real
 * Azurite: the job page's drive table opens the error and the verbose log as tables under the drive's row
 * (read by the service with the registered credential), in English and French, without an axe-core
 * violation; a log the service cannot read is said in the panel.
 */

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import { startTestAzurite } from "../support/azurite.js";
import { TMP } from "../support/db.js";
import { writeSampleLogs } from "../support/drive-logs.js";
import { BITLOCKER_KEY, RETURN_ADDRESS } from "../support/fixtures.js";
import { apiCall, cliToken, type ServerProcess, startServerProcess } from "../support/server.js";
import {
  cellsOutOfView,
  fitsWidth,
  launchOrSkip,
  screenshot,
  SCREENSHOTS,
  seriousViolations,
} from "./browser.js";

const azurite = await startTestAzurite("web-drive-log");
const dir = join(TMP, `web-drive-log-${process.pid}`);
const dataDir = join(dir, "data");
const SUB = "6f1d2a3b-0000-4000-8000-0000000000dd";
const V = "api-version=2021-01-01";
const WAIT = { timeout: 15_000 };
const JOB = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/logs`;
const [COPIED, GONE] = ["LOGDRV01", "LOGDRV02"];

let server: ServerProcess;
let browser: Browser | undefined;
const tokens = { ada: "", alice: "", bay: "", root: "" };

const token = (args: string[]) => cliToken(dataDir, args);

const call = (who: keyof typeof tokens, method: string, path: string, body?: unknown) =>
  apiCall(server.url, tokens[who], method, path, body);

/** The station's part through its API: the drive copied, its logs' URIs reported. */
async function copyWithLogs(serial: string, logs: { errorLogUri: string; verboseLogUri?: string }) {
  await call("bay", "POST", `/ops/v1/drives/${serial}/claim`);
  await call("bay", "POST", `/ops/v1/drives/${serial}/progress`, { bytesSucceeded: 10, bytesTotal: 10 });
  await call("bay", "POST", `/ops/v1/drives/${serial}/finish`, {
    state: "CompletedMoreInfo",
    errorCount: 1,
    warningCount: 1,
    infoCount: 0,
    ...logs,
  });
}

describe("a drive's log in the portal", () => {
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
        jobType: "Import",
        logLevel: "Verbose",
        storageAccountId: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        returnAddress: RETURN_ADDRESS,
        driveList: [COPIED, GONE].map((driveId) => ({ driveId, bitLockerKey: BITLOCKER_KEY })),
      },
    });
    await call("ada", "PATCH", `${JOB}?${V}`, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "UPS", trackingNumber: "UPS-LOGS" } },
    });
    await call("alice", "POST", "/ops/v1/packages/receive", {
      carrier: "UPS",
      tracking: "UPS-LOGS",
      drives: [COPIED, GONE],
    });
    await call("bay", "POST", "/ops/v1/stations/register", { name: "bay-1" });
    await copyWithLogs(COPIED, await writeSampleLogs(azurite, "logs", COPIED));
    // The second drive's logs are written, then deleted from the account: named, but not there.
    const gone = await writeSampleLogs(azurite, "logs", GONE);
    await azurite
      .service()
      .getContainerClient("waimportexport")
      .getBlobClient(gone.errorLogUri.split("/waimportexport/")[1]!)
      .delete();
    await copyWithLogs(GONE, gone);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens the error and the verbose log as tables under the drive, in English and French", async (t) => {
    browser = await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => {
      throw error;
    });
    await page.goto(server.url);
    await page.getByLabel("Token", { exact: true }).fill(tokens.ada);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor(WAIT);
    await page.goto(`${server.url}/jobs/${SUB}/rg1/logs`);

    const drive = page.locator(`tr[data-drive="${COPIED}"]`);
    await drive.getByRole("button", { name: "Error log" }).click(WAIT);
    const panel = page.getByRole("region", { name: `Error log of drive ${COPIED}` }).first();
    const rows = page.locator(`tr[data-log-of="${COPIED}"] table.drive-log-rows tbody tr`);
    await rows.nth(1).waitFor(WAIT);
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.nth(0).locator("th, td").allInnerTexts(), [
      "Completed",
      "photos/b (2).jpg",
      "data/0002",
      "2 KB",
      "rename → Renamed",
      "",
    ]);
    assert.match(
      await rows.nth(1).innerText(),
      /CompletedWithErrors[\s\S]*photos\/c\.raw[\s\S]*Block 0 does not match/,
    );
    await panel.waitFor();
    await page.getByText("The drive's outcome in this log: CompletedWithErrors. Blobs listed: 2.").waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, "job-page-drive-log-en");

    // On a phone the log's rows read as cards, like the drive table's, within the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "job-page-drive-log-phone-en");
    await page
      .locator(`tr[data-log-of="${COPIED}"]`)
      .screenshot({ path: join(SCREENSHOTS, "drive-log-phone-en.png") });
    assert.ok(await fitsWidth(page), "the page fits a phone's width");
    assert.deepEqual(await cellsOutOfView(page), []);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The verbose log replaces it under the same drive: one log open at a time.
    await drive.getByRole("button", { name: "Verbose log" }).click();
    await page.getByRole("heading", { name: `Verbose log of drive ${COPIED}` }).waitFor(WAIT);
    await rows.nth(2).waitFor(WAIT);
    assert.equal(await rows.count(), 3);
    assert.equal(await drive.getByRole("button", { name: "Hide log" }).getAttribute("aria-expanded"), "true");

    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("heading", { name: `Journal détaillé du disque ${COPIED}` }).waitFor(WAIT);
    await page.getByRole("columnheader", { name: "Fichier sur le disque" }).waitFor();
    await screenshot(page, "job-page-drive-log-fr");
    await drive.getByRole("button", { name: "Masquer le journal" }).click();
    await page.locator(`tr[data-log-of="${COPIED}"]`).waitFor({ state: "detached", ...WAIT });
    await page.getByLabel("Langue").selectOption("en");

    // A log named by the drive but gone from the account: the panel says it could not be read.
    await page.locator(`tr[data-drive="${GONE}"]`).getByRole("button", { name: "Error log" }).click();
    await page
      .locator(`tr[data-log-of="${GONE}"]`)
      .getByRole("alert")
      .getByText(/could not be read/)
      .waitFor(WAIT);
    await context.close();
  });
});
