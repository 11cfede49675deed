/**
 * @module The web portal in a real browser (Debian's Chromium through playwright-core) against a real
 * `sneakernet serve` process: a customer and an operator in two browser contexts follow one job from
 * creation to Completed, live; refusals; both languages; axe-core on every page, at 1280 px and at a phone's 390 px;
 * the layout measured where it has gone wrong (radios, the header, tables on a phone).
 */

import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser, BrowserContext, Locator, Page } from "playwright-core";

import { TMP } from "../support/db.js";
import { BITLOCKER_KEY, RETURN_ADDRESS } from "../support/fixtures.js";
import { apiCall, cliToken, type ServerProcess, startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";
import {
  type Box,
  boxes,
  cellsOutOfView,
  fitsWidth,
  launchOrSkip,
  screenshot,
  seriousViolations,
} from "./browser.js";

const dir = join(TMP, `portal-${process.pid}`);
const dataDir = join(dir, "data");
const SUB_A = "6f1d2a3b-0000-4000-8000-0000000000aa";
const SUB_B = "6f1d2a3b-0000-4000-8000-0000000000bb";
const SUB_C = "6f1d2a3b-0000-4000-8000-0000000000cc";
const V = "api-version=2021-01-01";
const WAIT = { timeout: 15_000 };

let server: ServerProcess;
let browser: Browser | undefined;
const tokens: Record<"ada" | "bob" | "cyd" | "alice" | "bay" | "root", string> = {
  ada: "",
  bob: "",
  cyd: "",
  alice: "",
  bay: "",
  root: "",
};

const token = (args: string[]) => cliToken(dataDir, args);

/** A call to the API as a client other than the browser would make it (set-up and the station's part). */
const call = (who: keyof typeof tokens, method: string, path: string, body?: unknown) =>
  apiCall(server.url, tokens[who], method, path, body);

const jobPath = (sub: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/${name}`;

async function createImport(
  who: "ada" | "bob" | "cyd",
  sub: string,
  name: string,
  drives: string[],
): Promise<void> {
  await call(who, "PUT", `${jobPath(sub, name)}?${V}`, {
    location: "West US",
    properties: {
      jobType: "Import",
      storageAccountId: `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
      returnAddress: RETURN_ADDRESS,
      driveList: drives.map((driveId) => ({ driveId, bitLockerKey: BITLOCKER_KEY })),
    },
  });
}

/** A copy station's part, played through its API as the station program calls it: the drive copied whole. */
async function copyByHand(serial: string): Promise<void> {
  await call("bay", "POST", "/ops/v1/stations/register", { name: "bay-1" });
  await call("bay", "POST", `/ops/v1/drives/${serial}/claim`);
  await call("bay", "POST", `/ops/v1/drives/${serial}/progress`, { bytesSucceeded: 10, bytesTotal: 10 });
  await call("bay", "POST", `/ops/v1/drives/${serial}/finish`, {
    state: "Completed",
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
  });
}

async function signIn(context: BrowserContext, who: keyof typeof tokens, label = "Token"): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => {
    throw error;
  });
  await page.goto(server.url);
  await page.getByLabel(label, { exact: true }).fill(tokens[who]);
  await page.getByRole("button", { name: label === "Token" ? "Sign in" : "Se connecter" }).click();
  await page.getByRole("button", { name: label === "Token" ? "Sign out" : "Se déconnecter" }).waitFor(WAIT);
  return page;
}

/** Waits until `rows` holds exactly `count` elements (the portal's CSP forbids waitForFunction's eval). */
async function exactly(rows: Locator, count: number): Promise<void> {
  await rows.nth(count - 1).waitFor(WAIT);
  await rows.nth(count).waitFor({ state: "detached", ...WAIT });
}

/** A property of the focused element (evaluated in the browser, as text: its DOM types are not ours). */
function focused(page: Page, property: string): Promise<string | null> {
  return page.evaluate<string | null>(`document.activeElement?.${property} ?? null`);
}

/** The carriers a carrier field offers: a select's options, or an input's datalist (none offered: []). */
async function offered(field: Locator): Promise<string[]> {
  const id = await field.getAttribute("id");
  return field.page().evaluate<string[]>(`(() => {
    const field = document.getElementById(${JSON.stringify(id)});
    const options = field.tagName === "SELECT" ? field.options : field.list ? field.list.options : [];
    return [...options].map((option) => option.value).filter(Boolean);
  })()`);
}

/** Waits until `field` offers exactly `carriers` (they arrive with the locations' list). */
async function offers(field: Locator, carriers: string[]): Promise<void> {
  const until = Date.now() + WAIT.timeout;
  while (Date.now() < until && JSON.stringify(await offered(field)) !== JSON.stringify(carriers)) {
    await field.page().waitForTimeout(100);
  }
  assert.deepEqual(await offered(field), carriers);
}

function driveRow(page: Page, driveId: string) {
  return page.locator(`tr[data-drive="${driveId}"]`);
}

describe("web portal in Chromium", () => {
  before(async () => {
    server = await startServerProcess(["--data-dir", dataDir, "--no-azurite", "--no-station"]);
    tokens.ada = await token(["--role", "customer", "--subscription", SUB_A, "--name", "ada"]);
    tokens.bob = await token(["--role", "customer", "--subscription", SUB_B, "--name", "bob"]);
    tokens.cyd = await token(["--role", "customer", "--subscription", SUB_C, "--name", "cyd"]);
    tokens.alice = await token(["--role", "operator", "--name", "alice"]);
    tokens.bay = await token(["--role", "station", "--name", "bay-1"]);
    tokens.root = await token(["--role", "admin", "--name", "root"]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the server prints the portal's address and how to sign in", () => {
    assert.match(server.output(), new RegExp(`Portal: ${server.url.replace(/[.]/g, "\\.")}/`));
    assert.match(server.output(), /paste it in the Token field/);
  });

  it("a customer and an operator follow an import job from creation to Completed, live", async (t) => {
    browser = await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const customer = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    const operator = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 800 } });

    // The customer creates an import job with two drives, through the form.
    const ada = await signIn(customer, "ada");
    await ada.getByRole("heading", { name: "Jobs" }).waitFor(WAIT);
    await ada.getByRole("navigation").getByRole("link", { name: "New job" }).click();
    await ada.getByLabel("Name", { exact: true }).fill("photos");
    await ada.getByLabel("Resource group").fill("rg1");
    await ada.getByLabel("Storage account").fill("devstoreaccount1");
    await ada.getByRole("button", { name: "Add a drive" }).click();
    await ada.getByLabel("Drive ID (serial number)").nth(0).fill("DRIVEA01");
    await ada.getByLabel("BitLocker key").nth(0).fill(BITLOCKER_KEY);
    await ada.getByLabel("Drive ID (serial number)").nth(1).fill("DRIVEB02");
    await ada.getByLabel("BitLocker key").nth(1).fill("12345"); // a wrong key first: the error sits by its field
    for (const [label, value] of Object.entries({
      Recipient: "Ada",
      City: "Redmond",
      "Postal code": "98007",
      "Country or region": "USA",
      Phone: "4250000000",
      Email: "ada@example.com",
    })) {
      await ada.getByLabel(label, { exact: true }).fill(value);
    }
    await ada.getByLabel("Street address", { exact: true }).fill("1 Main St");
    await ada.getByRole("button", { name: "Create job" }).click();
    const keyField = ada.getByLabel("BitLocker key").nth(1);
    await ada.getByText(/BitLocker key of drive 'DRIVEB02' is not valid/).waitFor(WAIT);
    assert.equal(await keyField.getAttribute("aria-invalid"), "true");
    assert.equal(await ada.getByLabel("BitLocker key").nth(0).getAttribute("aria-invalid"), "false");
    await keyField.fill(BITLOCKER_KEY);
    await ada.getByRole("button", { name: "Create job" }).click();
    await ada.getByRole("heading", { name: /photos/ }).waitFor(WAIT);
    assert.match(ada.url(), /\/jobs\/6f1d2a3b-0000-4000-8000-0000000000aa\/rg1\/photos$/);
    assert.equal(await ada.title(), "photos — Sneakernet");
    assert.equal(await ada.locator("h1 [data-state]").getAttribute("data-state"), "Creating");
    await ada.getByText("Sneakernet Data Center").waitFor(); // where to ship the drives
    await ada.getByText("Localhost, CA 94000", { exact: true }).waitFor(); // in the order of a US address

    // Records tracking: the job moves to Shipping; cancel is now disabled, with its reason.
    await ada.getByLabel("Carrier", { exact: true }).selectOption("FedEx"); // one of the location's carriers
    await ada.getByLabel("Tracking number").fill("781234567890");
    await ada.getByLabel("Number of drives").fill("2");
    await ada.getByRole("button", { name: "Record tracking" }).click();
    await ada.locator('h1 [data-state="Shipping"]').waitFor(WAIT);
    const cancel = ada.getByRole("button", { name: "Cancel job" });
    assert.equal(await cancel.isDisabled(), true);
    const reason = "Only possible while the job is Creating; it is Shipping.";
    assert.equal(
      await cancel.getAttribute("aria-describedby").then((id) => ada.locator(`#${id}`).textContent()),
      reason,
    );
    assert.equal(await ada.getByRole("button", { name: "Delete job" }).isDisabled(), true);

    // The operator (a French browser) sees the package coming and receives it with one drive missing.
    const alice = await signIn(operator, "alice", "Jeton");
    await alice.getByRole("heading", { name: "Colis attendus" }).waitFor(WAIT);
    assert.equal(await alice.title(), "Colis attendus — Sneakernet");
    await alice.getByRole("link", { name: "Réceptionner FedEx 781234567890" }).click();
    await alice.getByText(/Ce colis est pour photos/).waitFor(WAIT);
    const serial = alice.getByLabel("Numéro de série du disque");
    await serial.fill("drivea01"); // as typed: case does not matter
    await serial.press("Enter"); // a scanner ends with Enter: it adds, it does not submit
    await alice.getByRole("heading", { name: "Manquants : passeront en Jamais reçu (1)" }).waitFor();
    await alice.getByRole("heading", { name: "Attendus et présents (1)" }).waitFor();
    await alice.getByRole("button", { name: "Réceptionner le colis" }).click();
    await alice.getByText("Colis réceptionné : 1 reçu(s), 1 jamais reçu(s), 0 en trop.").waitFor(WAIT);

    // The customer's open page shows it without a reload; in French it says "Jamais reçu".
    await driveRow(ada, "DRIVEB02").getByText("Never received").waitFor(WAIT);
    await driveRow(ada, "DRIVEA01").getByText("Received").waitFor(WAIT);
    await ada.getByLabel("Language").selectOption("fr");
    await driveRow(ada, "DRIVEB02").getByText("Jamais reçu").waitFor(WAIT);
    await ada.getByRole("heading", { name: "Historique des états" }).waitFor();
    await ada.getByLabel("Langue").selectOption("en");

    // The missing drive turns up in another package: the operator records it, the job takes it back.
    await alice.getByRole("link", { name: "Disque retrouvé" }).click();
    await alice.getByLabel("Numéro de série").fill("DRIVEB02");
    await alice.getByLabel("Transporteur").fill("UPS");
    await alice.getByLabel("Numéro de suivi").fill("1Z999");
    await alice.getByRole("button", { name: "Enregistrer le disque" }).click();
    await alice.getByText("Le disque DRIVEB02 est Reçu dans le travail photos.").waitFor(WAIT);
    await driveRow(ada, "DRIVEB02").getByText("Received").waitFor(WAIT);

    // A station copies both drives (its API, as the station program calls it); both pages follow.
    await call("bay", "POST", "/ops/v1/stations/register", { name: "bay-1" });
    for (const drive of ["DRIVEA01", "DRIVEB02"]) {
      await call("bay", "POST", `/ops/v1/drives/${drive}/claim`);
      await call("bay", "POST", `/ops/v1/drives/${drive}/progress`, {
        bytesSucceeded: 250,
        bytesTotal: 1000,
      });
    }
    await alice.getByRole("link", { name: "Stations" }).click();
    const station = alice.getByRole("row", { name: /bay-1/ });
    await station.getByText("DRIVEA01").waitFor(WAIT);
    await driveRow(ada, "DRIVEA01").getByText("Transferring").waitFor(WAIT);
    // The station reports every 2 s as a station does; one report in 5 s is a progress event, and the job
    // page (which no longer polls) moves the bar from it, in place.
    const half = driveRow(ada, "DRIVEA01").getByText("50%");
    await until(
      async () => {
        await call("bay", "POST", "/ops/v1/drives/DRIVEA01/progress", {
          bytesSucceeded: 500,
          bytesTotal: 1000,
        });
        return half.isVisible();
      },
      { timeoutMs: 15_000, everyMs: 2_000, what: "the bar at 50% from a progress event" },
    );
    for (const drive of ["DRIVEA01", "DRIVEB02"]) {
      await call("bay", "POST", `/ops/v1/drives/${drive}/finish`, {
        state: "Completed",
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
        verboseLogUri: `https://logs.example/${drive}-verbose.xml`,
      });
    }
    await ada.locator('h1 [data-state="Packaging"]').waitFor(WAIT);
    await driveRow(ada, "DRIVEA01").getByRole("button", { name: "Verbose log" }).waitFor();

    // The operator ships the drives back from the work queue; the customer sees Completed and the return package.
    await alice.getByRole("link", { name: "File de travail" }).click();
    const shipBack = alice.getByRole("form", { name: "Renvoyer photos" });
    await shipBack.getByLabel("Transporteur").fill("FedEx");
    await shipBack.getByLabel("Numéro de suivi").fill("RET-0001");
    await shipBack.getByRole("button", { name: "Renvoyer" }).click();
    await alice.getByText("Travail photos renvoyé.").waitFor(WAIT);
    await ada.locator('h1 [data-state="Completed"]').waitFor(WAIT);
    await ada.getByText("RET-0001", { exact: true }).waitFor(WAIT);
    const current = ada.locator('.stepper [aria-current="step"]');
    assert.match((await current.textContent()) ?? "", /^Completed/);
    assert.equal(await ada.locator(".stepper .step-done").count(), 5, "every earlier step has its time");
    await driveRow(ada, "DRIVEA01").getByText("Shipped back").waitFor();

    // Now it may be deleted; and the list shows it Completed at 100 %.
    assert.equal(await ada.getByRole("button", { name: "Delete job" }).isDisabled(), false);
    await ada.getByRole("link", { name: "All jobs" }).click();
    const row = ada.getByRole("row", { name: /photos/ });
    await row.locator('[data-state="Completed"]').waitFor(WAIT);
    await row.getByText("100%").waitFor();
    await customer.close();
    await operator.close();
  });

  it("an export job, the customer in French and the operator in English, from creation to Completed", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const customer = await browser.newContext({ locale: "fr-FR" });
    const operator = await browser.newContext({ locale: "en-GB" });
    const ada = await signIn(customer, "ada", "Jeton");
    await ada.getByRole("navigation").getByRole("link", { name: "Nouveau travail" }).click();
    await ada.getByLabel("Nom", { exact: true }).fill("restore");
    await ada.getByLabel("Groupe de ressources").fill("rg1");
    await ada.getByLabel("Compte de stockage").fill("devstoreaccount1");
    await ada.getByLabel("Exportation").check();
    await ada.getByLabel("Chemins ou préfixes de blobs, un par ligne").fill("/photos/\n/docs/report.pdf");
    for (const [label, value] of Object.entries({
      Destinataire: "Ada",
      Adresse: "1 rue Haute",
      Ville: "Paris",
      "Code postal": "75001",
      "Pays ou région": "France",
      Téléphone: "0100000000",
      Courriel: "ada@example.com",
    })) {
      await ada.getByLabel(label, { exact: true }).fill(value);
    }
    // A refusal reads in French, next to its field; the fix is a retype away.
    const account = ada.getByLabel("Compte de stockage");
    await account.fill("Compte_Invalide");
    await ada.getByRole("button", { name: "Créer le travail" }).click();
    await ada.getByText("Compte de stockage non valide : donnez son nom").waitFor(WAIT);
    assert.equal(await account.getAttribute("aria-invalid"), "true");
    assert.equal(await ada.getByText("Le travail n’a pas été créé : voyez les champs signalés.").count(), 1);
    await account.fill("devstoreaccount1");
    await ada.getByRole("button", { name: "Créer le travail" }).click();
    await ada.getByRole("heading", { name: /restore/ }).waitFor(WAIT);
    await ada.getByText("Les disques sont enregistrés à leur réception par le centre de données.").waitFor();
    await ada.getByText("/photos/", { exact: true }).waitFor();
    await ada.getByLabel("Transporteur", { exact: true }).selectOption("DHL");
    await ada.getByLabel("Numéro de suivi").fill("EXP-77");
    await ada.getByRole("button", { name: "Enregistrer le suivi" }).click();
    await ada.locator('h1 [data-state="Shipping"]').getByText("Expédition").waitFor(WAIT);

    // The operator receives the blank drives: for an export job, they are registered to it.
    const alice = await signIn(operator, "alice");
    await alice.getByRole("link", { name: "Receive DHL EXP-77" }).click();
    const serial = alice.getByLabel("Drive serial number");
    await serial.fill("EXPDRIVE1");
    await serial.press("Enter");
    await alice.getByRole("heading", { name: "Will be registered to the export job (1)" }).waitFor(WAIT);
    await alice.getByRole("button", { name: "Receive the package" }).click();
    await alice.getByText("Package received: 1 received, 0 never received, 0 extra.").waitFor(WAIT);
    await driveRow(ada, "EXPDRIVE1").getByText("Reçu").waitFor(WAIT);

    // The station writes the blobs to the drive; the operator ships it back from the job's own page.
    await copyByHand("EXPDRIVE1");
    await ada.locator('h1 [data-state="Packaging"]').getByText("Emballage").waitFor(WAIT);
    await alice.getByRole("link", { name: "Work queue" }).click();
    await alice.getByRole("link", { name: "restore" }).click();
    const form = alice.getByRole("form", { name: "Ship back restore" });
    await form.getByLabel("Carrier").fill("DHL");
    await form.getByLabel("Tracking number").fill("EXP-RET-1");
    await form.getByRole("button", { name: "Ship back" }).click();
    await alice.locator('h1 [data-state="Completed"]').waitFor(WAIT);
    await ada.locator('h1 [data-state="Completed"]').getByText("Effectué").waitFor(WAIT);
    await driveRow(ada, "EXPDRIVE1").getByText("Renvoyé").waitFor(WAIT);
    await ada.getByText("EXP-RET-1", { exact: true }).waitFor(WAIT);
    await customer.close();
    await operator.close();
  });

  it("pages through a customer's jobs, filters them by state and type, and searches them by name", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    for (let i = 1; i <= 45; i++) {
      await createImport("cyd", SUB_C, `batch-${String(i).padStart(2, "0")}`, [`CYD${i}`]);
    }
    for (const i of [3, 7]) {
      await call("cyd", "PATCH", `${jobPath(SUB_C, `batch-0${i}`)}?${V}`, {
        properties: {
          state: "Shipping",
          deliveryPackage: { carrierName: "UPS", trackingNumber: `T${i}`, driveCount: 1 },
        },
      });
    }
    const context = await browser.newContext({ locale: "en-US" });
    const cyd = await signIn(context, "cyd");
    const rows = cyd.locator("table.jobs tbody tr");
    const names = async () => (await rows.locator("th").allTextContents()).join(" ");
    await rows.nth(19).waitFor(WAIT);
    assert.equal(await rows.count(), 20);
    assert.equal(await cyd.getByRole("button", { name: "Previous page" }).isDisabled(), true);
    await cyd.getByRole("button", { name: "Next page" }).click();
    await cyd.getByText("Page 2").waitFor(WAIT);
    await cyd.getByRole("link", { name: "batch-21" }).waitFor(WAIT);
    await cyd.getByRole("button", { name: "Next page" }).click();
    await cyd.getByRole("link", { name: "batch-01" }).waitFor(WAIT);
    assert.equal(await rows.count(), 5);
    assert.equal(await names(), "batch-05 batch-04 batch-03 batch-02 batch-01"); // newest first
    assert.equal(await cyd.getByRole("button", { name: "Next page" }).isDisabled(), true);
    await cyd.getByRole("button", { name: "Previous page" }).click();
    await cyd.getByRole("link", { name: "batch-21" }).waitFor(WAIT);

    // A filter starts again from its first page.
    await cyd.getByLabel("State").selectOption("Shipping");
    await exactly(rows, 2);
    assert.equal(await names(), "batch-07 batch-03");
    assert.equal(await cyd.getByRole("navigation", { name: "Pages" }).count(), 0, "one page: no pager");
    await cyd.getByLabel("Type").selectOption("Export");
    await cyd.getByText("No job matches.").waitFor(WAIT);
    await cyd.getByLabel("Type").selectOption("");
    await cyd.getByLabel("State").selectOption("");
    await cyd.getByLabel("Search by name").fill("TCH-4"); // any case, anywhere in the name
    await exactly(rows, 6);
    assert.equal(await names(), "batch-45 batch-44 batch-43 batch-42 batch-41 batch-40");
    await cyd.getByLabel("Search by name").fill("50%_'");
    await cyd.getByText("No job matches.").waitFor(WAIT);
    await context.close();
  });

  it("refuses what a role may not see: another subscription's job by URL, operator pages", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    await createImport("bob", SUB_B, "secret", ["BOBDRIVE1"]);
    const context = await browser.newContext({ locale: "en-US" });
    const ada = await signIn(context, "ada");
    await ada.goto(`${server.url}/jobs/${SUB_B}/rg1/secret`);
    await ada.getByText("You do not have access to this.").waitFor(WAIT);
    assert.equal(await ada.getByText("BOBDRIVE1").count(), 0);
    for (const path of ["/operator/incoming", "/operator/receive", "/operator/queue", "/operator/stations"]) {
      await ada.goto(`${server.url}${path}`);
      await ada.getByText("This page is for operators. Your token does not give access to it.").waitFor(WAIT);
      assert.equal(await ada.getByRole("link", { name: "Work queue" }).count(), 0, "no operator navigation");
    }
    // A token that is not one, and a station's token, get no further than the sign-in page.
    await ada.getByRole("button", { name: "Sign out" }).click();
    await ada.getByLabel("Token").fill("not-a-token");
    await ada.getByRole("button", { name: "Sign in" }).click();
    await ada.getByText("This token is not valid, or it has been revoked.").waitFor(WAIT);
    await ada.getByLabel("Token").fill(tokens.bay);
    await ada.getByRole("button", { name: "Sign in" }).click();
    await ada.getByText(/A station token has no portal views/).waitFor(WAIT);
    // The token lasts for the browser session only: a new context starts signed out.
    const fresh = await browser.newContext();
    const page = await fresh.newPage();
    await page.goto(server.url);
    await page.getByLabel("Token").waitFor(WAIT);
    await fresh.close();
    await context.close();
  });

  it("is usable from the keyboard alone", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel("Token").waitFor(WAIT);
    await page.keyboard.type(tokens.ada); // the field has focus on arrival
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Jobs" }).waitFor(WAIT);
    // Focus moves to the new page's content; Tab then reaches its first control.
    assert.equal(await focused(page, "id"), "main");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page, "textContent"), "New job");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "New job" }).waitFor(WAIT);
    await page.keyboard.press("Tab");
    assert.equal(await focused(page, "dataset.field"), "name");
    // From the top of a page, the first Tab is the skip link, and it leads to the content.
    await page.reload();
    await page.getByRole("heading", { name: "New job" }).waitFor(WAIT);
    await page.keyboard.press("Tab");
    assert.equal(await focused(page, "textContent"), "Skip to content");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page, "id"), "main");
    await context.close();
  });

  it("offers the carriers of the job's location wherever a carrier is given", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const WEST_US = ["FedEx", "UPS", "DHL", "USPS", "Blue Dart", "TNT"]; // the embedded location's
    // A second data center, with carriers of its own (its id sorts after westus: the forms' default stays).
    await call("root", "PUT", "/ops/v1/admin/locations/zurich", {
      name: "Zurich",
      recipientName: "Sneakernet Zürich",
      streetAddress1: "Bahnhofstrasse 1",
      city: "Zürich",
      postalCode: "8001",
      countryOrRegion: "Switzerland",
      phone: "+41 44 000 00 00",
      supportedCarriers: ["Swiss Post", "DHL"],
    });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });

    // Creating a job: the return carrier suggests the chosen location's carriers (any name is taken there).
    const ada = await signIn(context, "ada");
    await ada.goto(`${server.url}/jobs/new`);
    const returnCarrier = ada.locator('[data-field="returnShipping.carrierName"]');
    await offers(returnCarrier, WEST_US);
    assert.equal(await returnCarrier.evaluate((e: { tagName: string }) => e.tagName), "INPUT");
    await ada.getByLabel("Location (data center)").selectOption("Zurich");
    await offers(returnCarrier, ["Swiss Post", "DHL"]);

    // Recording tracking: the server takes only the location's carriers, so they are a choice.
    await createImport("ada", SUB_A, "parcel", ["PARC0001"]);
    await ada.goto(`${server.url}/jobs/${SUB_A}/rg1/parcel`);
    const carrier = ada.getByLabel("Carrier", { exact: true });
    await offers(carrier, WEST_US);
    assert.equal(await carrier.evaluate((e: { tagName: string }) => e.tagName), "SELECT");
    await carrier.selectOption("UPS");
    await ada.getByLabel("Tracking number").fill("UPS-PARCEL");
    await ada.getByRole("button", { name: "Record tracking" }).click();
    await ada.locator('h1 [data-state="Shipping"]').waitFor(WAIT);

    // An operator: receiving and recording a found drive suggest every location's carriers, each once.
    const alice = await signIn(context, "alice");
    await alice.goto(`${server.url}/operator/receive`);
    await offers(alice.getByLabel("Carrier"), [...WEST_US, "Swiss Post"]);
    await alice.goto(`${server.url}/operator/found`);
    await offers(alice.getByLabel("Carrier"), [...WEST_US, "Swiss Post"]);
    // Shipping back suggests the job's location's, from the queue (which names it westus) and the job's page.
    await call("alice", "POST", "/ops/v1/packages/receive", {
      carrier: "UPS",
      tracking: "UPS-PARCEL",
      drives: ["PARC0001"],
    });
    await copyByHand("PARC0001");
    // A second job waiting to ship back: the queue then holds two ship-back forms, each with its carriers.
    await createImport("ada", SUB_A, "parcel-two", ["PARC0002"]);
    await call("ada", "PATCH", `${jobPath(SUB_A, "parcel-two")}?${V}`, {
      properties: {
        state: "Shipping",
        deliveryPackage: { carrierName: "UPS", trackingNumber: "UPS-PARCEL-2", driveCount: 1 },
      },
    });
    await call("alice", "POST", "/ops/v1/packages/receive", {
      carrier: "UPS",
      tracking: "UPS-PARCEL-2",
      drives: ["PARC0002"],
    });
    await copyByHand("PARC0002");
    const asked: string[] = [];
    alice.on("request", (request: { url(): string }) => {
      if (/\/locations\?/.test(request.url())) {
        asked.push(request.url());
      }
    });
    await alice.goto(`${server.url}/operator/queue`);
    await offers(
      alice.getByRole("form", { name: "Ship back parcel", exact: true }).getByLabel("Carrier"),
      WEST_US,
    );
    await offers(alice.getByRole("form", { name: "Ship back parcel-two" }).getByLabel("Carrier"), WEST_US);
    assert.equal(asked.length, 1, "one read of the locations serves every form of the page");
    await alice.goto(`${server.url}/jobs/${SUB_A}/rg1/parcel`);
    await offers(
      alice.getByRole("form", { name: "Ship back parcel", exact: true }).getByLabel("Carrier"),
      WEST_US,
    );
    await context.close();
  });

  it("shows the customer an extra drive that came in their package, returned with the job", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    await createImport("ada", SUB_A, "spares", ["SPARE001"]);
    const id = jobPath(SUB_A, "spares");
    await call("ada", "PATCH", `${id}?${V}`, {
      properties: {
        state: "Shipping",
        deliveryPackage: { carrierName: "UPS", trackingNumber: "UPS-EXTRA", driveCount: 2 },
      },
    });
    // The package holds the job's drive and one no job lists.
    await call("alice", "POST", "/ops/v1/packages/receive", {
      carrier: "UPS",
      tracking: "UPS-EXTRA",
      drives: ["SPARE001", "STRANGER1"],
    });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    const ada = await signIn(context, "ada");
    await ada.goto(`${server.url}/jobs/${SUB_A}/rg1/spares`);
    const extra = driveRow(ada, "STRANGER1");
    await extra.getByText("Extra", { exact: true }).waitFor(WAIT);
    await extra.getByText("Received", { exact: true }).waitFor();
    await extra.getByText("Not copied: returned with this job").waitFor();

    // Its own drive copied, the job ships back both; the table holds as many drives as the return package.
    await copyByHand("SPARE001");
    await call("alice", "POST", "/ops/v1/ship", { job: id, carrier: "UPS", tracking: "RET-EXTRA" });
    await extra.getByText("Shipped back", { exact: true }).waitFor(WAIT);
    const shipped = (await call("ada", "GET", `${id}?${V}`)) as {
      properties: { returnPackage: { driveCount: number } };
    };
    assert.equal(shipped.properties.returnPackage.driveCount, 2);
    assert.equal(await ada.locator("table.drives tbody tr").count(), 2);
    for (const lang of ["en", "fr"] as const) {
      await ada.getByLabel("Language").selectOption(lang); // still English when French is chosen
      await extra.getByText(lang === "en" ? "Extra" : "En trop", { exact: true }).waitFor();
      await ada.setViewportSize({ width: 1280, height: 800 });
      await screenshot(ada, `job-page-extra-${lang}`);
      await ada.setViewportSize({ width: 390, height: 844 });
      await screenshot(ada, `job-page-extra-phone-${lang}`);
    }
    await context.close();
  });

  it("puts each radio of the create form beside its words, at 1280 px and on a phone", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    const ada = await signIn(context, "ada");
    await ada.goto(`${server.url}/jobs/new`);
    await ada.getByRole("radio", { name: "Export" }).waitFor(WAIT);
    const middle = (box: Box) => (box.top + box.bottom) / 2;
    for (const width of [1280, 390]) {
      await ada.setViewportSize({ width, height: 844 });
      const radios = await boxes(ada, "fieldset.radios label > input");
      const words = await boxes(ada, "fieldset.radios label > span");
      assert.equal(radios.length, 2);
      assert.equal(words.length, 2);
      radios.forEach((radio, i) => {
        const word = words[i]!;
        const gap = word.left - radio.right;
        assert.ok(gap >= 0 && gap <= 12, `${width} px: radio ${i + 1} is ${gap} px from its words`);
        assert.ok(
          Math.abs(middle(radio) - middle(word)) <= 4,
          `${width} px: radio ${i + 1} is not on its words' line`,
        );
      });
    }
    // The words are the radio's label: a click on them chooses it.
    await ada.getByText("Export", { exact: true }).click();
    assert.equal(await ada.getByRole("radio", { name: "Export" }).isChecked(), true);
    await context.close();
  });

  it("keeps the operator's header on one line at 1280 px, in English and French", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    for (const lang of ["en", "fr"] as const) {
      const context = await browser.newContext({
        locale: lang === "fr" ? "fr-FR" : "en-US",
        viewport: { width: 1280, height: 800 },
      });
      const alice = await signIn(context, "alice", lang === "fr" ? "Jeton" : "Token");
      await alice.locator("header nav a").nth(4).waitFor(WAIT);
      const [brand] = await boxes(alice, "header.top .brand");
      const items = await boxes(alice, "header.top :is(nav a, select, .who, button)");
      assert.equal(items.length, 8, "five links, the language, who is signed in, sign out");
      const line = (brand!.top + brand!.bottom) / 2;
      for (const [i, item] of items.entries()) {
        const centre = (item.top + item.bottom) / 2;
        assert.ok(
          Math.abs(centre - line) <= 6,
          `${lang}: header item ${i + 1} is on another line (${centre} vs ${line})`,
        );
      }
      await context.close();
    }
  });

  it("has no serious or critical axe-core violation on any page, in English and French; reads on a phone", async (t) => {
    browser ??= await launchOrSkip(t);
    if (!browser) {
      return;
    }
    await createImport("ada", SUB_A, "archive", ["ARCH0001", "ARCH0002"]);
    await createImport("ada", SUB_A, "backups", ["BACK0001"]);
    await call("ada", "PATCH", `${jobPath(SUB_A, "backups")}?${V}`, {
      properties: {
        state: "Shipping",
        deliveryPackage: { carrierName: "DHL", trackingNumber: "DHL-42", driveCount: 1 },
      },
    });
    const failures: string[] = [];
    for (const lang of ["en", "fr"] as const) {
      const context = await browser.newContext({
        locale: lang === "fr" ? "fr-FR" : "en-US",
        viewport: { width: 1280, height: 800 },
      });
      const axe = async (page: Page, name: string) => {
        for (const v of await seriousViolations(page)) {
          failures.push(
            `${lang} ${name}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
          );
        }
      };
      // Each page at 1280 px, then at a phone's 390 px: nothing goes sideways, no table hides a column behind a
      // scroll (rows read as cards), axe still passes; a screenshot of each for a person to look at.
      const check = async (page: Page, name: string) => {
        await page.locator("h1").first().waitFor(WAIT);
        await page.waitForTimeout(200);
        await axe(page, name);
        await screenshot(page, `${name}-${lang}`);
        await page.setViewportSize({ width: 390, height: 844 });
        await page.waitForTimeout(100);
        if (!(await fitsWidth(page))) {
          failures.push(`${lang} ${name}: wider than 390 px`);
        }
        failures.push(...(await cellsOutOfView(page)).map((cell) => `${lang} ${name} at 390 px: ${cell}`));
        await axe(page, `${name} at 390 px`);
        await screenshot(page, `${name}-phone-${lang}`);
        await page.setViewportSize({ width: 1280, height: 800 });
      };
      const visitor = await context.newPage();
      await visitor.goto(server.url);
      await check(visitor, "sign-in");
      if (lang === "en") {
        // The check itself can fail: an unlabelled field added to the page is reported.
        await visitor.evaluate('document.querySelector("main").append(document.createElement("input"))');
        assert.ok((await seriousViolations(visitor)).some((v) => v.id === "label"));
      }
      await visitor.close();

      const ada = await signIn(context, "ada", lang === "fr" ? "Jeton" : "Token");
      await ada.locator("table.jobs").waitFor(WAIT);
      await check(ada, "job-list");
      await ada.goto(`${server.url}/jobs/new`);
      await check(ada, "new-job");
      await ada.goto(`${server.url}/jobs/${SUB_A}/rg1/archive`);
      await ada.locator("tr[data-drive]").first().waitFor(WAIT);
      await check(ada, "job-page-creating");
      await ada.goto(`${server.url}/jobs/${SUB_A}/rg1/photos`);
      await ada.locator("tr[data-drive]").first().waitFor(WAIT);
      await check(ada, "job-page");

      const alice = await signIn(context, "alice", lang === "fr" ? "Jeton" : "Token");
      await alice.getByText("DHL-42").waitFor(WAIT);
      await check(alice, "incoming");
      await alice.goto(`${server.url}/operator/receive?carrier=DHL&tracking=DHL-42`);
      await alice.locator(".preview").waitFor(WAIT);
      const serial = alice.getByLabel(lang === "fr" ? "Numéro de série du disque" : "Drive serial number");
      await serial.fill("BACK0001");
      await serial.press("Enter");
      await serial.fill("STRAY999");
      await serial.press("Enter");
      await check(alice, "receive");
      await alice.goto(`${server.url}/operator/queue`);
      await check(alice, "queue");
      await alice.goto(`${server.url}/operator/stations`);
      await check(alice, "stations");
      await alice.goto(`${server.url}/operator/found`);
      await check(alice, "drive-found");
      await alice.goto(`${server.url}/jobs/${SUB_A}/rg1/photos`);
      await alice.locator("tr[data-drive]").first().waitFor(WAIT);
      await check(alice, "job-page-operator");
      await context.close();
    }
    assert.deepEqual(failures, []);
  });
});
