/**
 * @module The portal's route table (web/src/routes.ts) drives its navigation, page titles and routing: each
 * role's navigation leads to pages it may see, titles come from the table in both languages, job pages are
 * reached by jobPageHref, and every page is one the server answers with the portal.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { isPortalPath } from "../../src/api/http/portal.js";
import { loadPortalModule } from "./portal-modules.js";

type Role = "customer" | "operator" | "admin" | "station";
interface Route {
  path: string;
  title: string | { param: string };
  nav?: string;
  audience: "customer" | "operator" | "both";
  render(params: Record<string, string>): { type: unknown; props: unknown };
}
type Resolution =
  | { kind: "page"; route: Route; params: Record<string, string> }
  | { kind: "entry" }
  | { kind: "refused"; reason: string };
interface Routes {
  ROUTES: readonly Route[];
  OPERATOR_AREA: string;
  findRoute(path: string): { route: Route; params: Record<string, string> } | undefined;
  navFor(who: { role: Role }): { path: string; label: string }[];
  homePath(who: { role: Role }): string;
  pageTitle(path: string, signedIn: boolean, t: (key: string) => string): string | undefined;
  resolve(path: string, who: { role: Role }): Resolution;
}
interface Paths {
  PATHS: Record<"home" | "signIn" | "jobs" | "job" | "incoming", string>;
  fillPath(pattern: string, params: Record<string, string>): string;
  jobPageHref(job: { subscriptionId: string; resourceGroup: string; name: string } | { id: string }): string;
}
interface I18n {
  makeI18n(lang: "en" | "fr", setLang: () => void): { t(key: string): string };
}

const web = await loadPortalModule<Routes>("routes.ts");
const { PATHS, fillPath, jobPageHref } = await loadPortalModule<Paths>("paths.ts");
const { makeI18n } = await loadPortalModule<I18n>("i18n/index.tsx");

const SUB = "6f1d2a3b-0000-4000-8000-0000000000aa";
const ROLES: Role[] = ["customer", "operator", "admin", "station"];
/** An address of the route, its params filled with values that need encoding. */
const addressOf = (route: Route) =>
  fillPath(route.path, { subscription: SUB, resourceGroup: "grupo (é)", name: "photos-2024" });
const sees = (role: Role, audience: Route["audience"]) =>
  role !== "station" &&
  (audience === "both" || (audience === "operator") === (role === "operator" || role === "admin"));

describe("the portal's route table", () => {
  it("gives each role the navigation of its own pages, in table order, starting at its home", () => {
    const customer = web.navFor({ role: "customer" });
    const operator = web.navFor({ role: "operator" });
    assert.ok(customer.length > 0 && operator.length > 0);
    assert.deepEqual(web.navFor({ role: "admin" }), operator, "an administrator sees what an operator sees");
    assert.deepEqual(web.navFor({ role: "station" }), [], "a station has no pages");
    // Every labelled page is in exactly one navigation, under its own label, in the table's order.
    const labelled = web.ROUTES.filter((route) => route.nav);
    assert.deepEqual(
      [...customer, ...operator].map((entry) => entry.path).sort(),
      labelled.map((route) => route.path).sort(),
    );
    for (const nav of [customer, operator]) {
      const order = nav.map((entry) => web.ROUTES.findIndex((route) => route.path === entry.path));
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
      );
      for (const entry of nav) {
        assert.equal(entry.label, web.ROUTES.find((route) => route.path === entry.path)!.nav);
      }
    }
    for (const role of ROLES.filter((r) => r !== "station")) {
      const nav = web.navFor({ role });
      assert.equal(web.homePath({ role }), nav[0]!.path, role);
      for (const entry of nav) {
        assert.equal(web.resolve(entry.path, { role }).kind, "page", `${role} ${entry.path}`);
      }
    }
    // What the browser test signs in to: an operator starts on incoming packages, a customer on the job list.
    assert.equal(web.homePath({ role: "operator" }), PATHS.incoming);
    assert.equal(web.homePath({ role: "customer" }), PATHS.jobs);
  });

  it("shows each page to its audience only, with the refusal that says why", () => {
    for (const route of web.ROUTES) {
      const address = addressOf(route);
      for (const role of ROLES) {
        const shown = web.resolve(address, { role });
        if (sees(role, route.audience)) {
          assert.equal(shown.kind, "page", `${role} ${address}`);
          assert.equal(shown.kind === "page" && shown.route, route);
        } else {
          const reason =
            role === "station"
              ? "signInStation"
              : route.audience === "operator"
                ? "operatorOnly"
                : "customerOnly";
          assert.deepEqual(shown, { kind: "refused", reason }, `${role} ${address}`);
        }
      }
      if (route.audience === "operator") {
        assert.ok(route.path.startsWith(web.OPERATOR_AREA), `${route.path} is in the operators' area`);
      }
    }
    // No page there, but in the operators' area: refused to a customer, not found for an operator.
    const unknown = `${web.OPERATOR_AREA}nothing-here`;
    assert.deepEqual(web.resolve(unknown, { role: "customer" }), { kind: "refused", reason: "operatorOnly" });
    assert.deepEqual(web.resolve(unknown, { role: "operator" }), { kind: "refused", reason: "notFoundPage" });
    for (const path of [
      "/nowhere",
      `${PATHS.jobs}/`,
      `${PATHS.jobs}/${SUB}/rg1`,
      `${PATHS.jobs}/${SUB}//photos`,
    ]) {
      assert.deepEqual(
        web.resolve(path, { role: "customer" }),
        { kind: "refused", reason: "notFoundPage" },
        path,
      );
    }
    for (const path of [PATHS.home, PATHS.signIn]) {
      assert.deepEqual(web.resolve(path, { role: "customer" }), { kind: "entry" });
      assert.deepEqual(web.resolve(path, { role: "station" }), { kind: "refused", reason: "signInStation" });
    }
  });

  it("titles each page from the table, in both languages; signed out, the sign-in page", () => {
    for (const lang of ["en", "fr"] as const) {
      const { t } = makeI18n(lang, () => {});
      for (const route of web.ROUTES) {
        if (typeof route.title !== "string") {
          continue;
        }
        const title = web.pageTitle(route.path, true, t);
        assert.equal(title, t(route.title), `${lang} ${route.path}`);
        assert.notEqual(title, route.title, `${lang} ${route.path}: a message, not its key`);
        assert.equal(web.pageTitle(route.path, false, t), t("signInTitle"));
      }
      assert.equal(web.pageTitle("/nowhere", true, t), undefined);
      assert.equal(web.pageTitle("/nowhere", false, t), t("signInTitle"));
    }
    // Titles differ from page to page: a tab and a screen reader tell them apart.
    const { t } = makeI18n("en", () => {});
    const titles = web.ROUTES.map((route) => web.pageTitle(addressOf(route), true, t));
    assert.equal(new Set(titles).size, titles.length);
  });

  it("reaches a job's page by jobPageHref, titled and rendered with the job's own names", () => {
    const job = { subscriptionId: SUB, resourceGroup: "grupo (é)/x", name: "photos-2024" };
    const href = jobPageHref(job);
    const found = web.findRoute(href);
    assert.ok(found, href);
    assert.equal(found.route.path, PATHS.job);
    const params = { subscription: SUB, resourceGroup: "grupo (é)/x", name: "photos-2024" };
    assert.deepEqual(found.params, params, "a slash in a name does not change the address's shape");
    const { t } = makeI18n("en", () => {});
    for (const signedIn of [true, false]) {
      assert.equal(web.pageTitle(href, signedIn, t), "photos-2024");
    }
    assert.deepEqual(found.route.render(found.params).props, params, "the page gets the address's parts");
    // By ARM id, as the customer API names a job.
    const id = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/backups`;
    assert.deepEqual(web.findRoute(jobPageHref({ id }))?.params, {
      subscription: SUB,
      resourceGroup: "rg1",
      name: "backups",
    });
    assert.equal(jobPageHref({ id: "/not/a/job" }), PATHS.jobs);
  });

  it("lists only pages the server answers with the portal (a reload there finds the page, not a 401)", () => {
    for (const route of web.ROUTES) {
      const address = addressOf(route);
      assert.ok(isPortalPath(address.toLowerCase()), address);
    }
    assert.ok(isPortalPath(PATHS.home) && isPortalPath(PATHS.signIn));
  });
});
