/**
 * @module The portal's route table: each page once, with its address, its title, its place in the navigation and
 * who may see it. Navigation, page titles and routing are all read from it.
 */

import { type ComponentType, createElement, type ReactElement } from "react";

import type { WhoAmI } from "./api";
import type { MessageKey } from "./i18n";
import { CreateJob } from "./pages/create-job/CreateJob";
import { DriveFound } from "./pages/DriveFound";
import { Incoming } from "./pages/Incoming";
import { JobPage } from "./pages/job/JobPage";
import { JobList } from "./pages/JobList";
import { Queue } from "./pages/Queue";
import { ReceivePackage } from "./pages/ReceivePackage";
import { Stations } from "./pages/Stations";
import { matchPath, type ParamNames, type Params, PATHS } from "./paths";
import { isOperator } from "./session-context";

/** Who may see a page: customers only, operators (and administrators) only, or both. */
export type Audience = "customer" | "operator" | "both";

export interface Route {
  path: string;
  /** The page's title: a message, or one of the address's params (a job's page is titled by the job's name). */
  title: MessageKey | { param: string };
  /** Its label in the navigation, for the pages listed there. */
  nav?: MessageKey;
  audience: Audience;
  render(params: Record<string, string>): ReactElement;
}

/** A route whose page takes the address's params as its props; the type checker holds the two together. */
function route<P extends string>(spec: {
  path: P;
  title: MessageKey | { param: ParamNames<P> };
  nav?: MessageKey;
  audience: Audience;
  page: ComponentType<Params<P>>;
}): Route {
  const { page, ...rest } = spec;
  // matchPath gives exactly the pattern's params, which are the page's props. No JSX here: tests load this
  // table in Node, whose transform does not use the portal's JSX runtime.
  return { ...rest, render: (params) => createElement(page, params as Params<P>) };
}

/** In navigation order. */
export const ROUTES: readonly Route[] = [
  route({ path: PATHS.jobs, title: "jobsTitle", nav: "navJobs", audience: "customer", page: JobList }),
  route({
    path: PATHS.newJob,
    title: "newJobTitle",
    nav: "navNewJob",
    audience: "customer",
    page: CreateJob,
  }),
  route({ path: PATHS.job, title: { param: "name" }, audience: "both", page: JobPage }),
  route({
    path: PATHS.incoming,
    title: "incomingTitle",
    nav: "navIncoming",
    audience: "operator",
    page: Incoming,
  }),
  route({
    path: PATHS.receive,
    title: "receiveTitle",
    nav: "navReceive",
    audience: "operator",
    page: ReceivePackage,
  }),
  route({ path: PATHS.queue, title: "queueTitle", nav: "navQueue", audience: "operator", page: Queue }),
  route({
    path: PATHS.stations,
    title: "stationsTitle",
    nav: "navStations",
    audience: "operator",
    page: Stations,
  }),
  route({ path: PATHS.found, title: "foundTitle", nav: "navFound", audience: "operator", page: DriveFound }),
];

/**
 * Operators' pages live under this prefix. A non-operator is refused anything under it, a page or not: the
 * refusal then says nothing about which operator pages exist.
 */
export const OPERATOR_AREA = "/operator/";

type Role = Pick<WhoAmI, "role">;

export function findRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) {
      return { route, params };
    }
  }
  return undefined;
}

/** The navigation a role sees: its audience's pages that have a label. A station has no pages. */
export function navFor(who: Role): { path: string; label: MessageKey }[] {
  if (who.role === "station") {
    return [];
  }
  const audience = isOperator(who) ? "operator" : "customer";
  return ROUTES.flatMap((route) =>
    route.nav && route.audience === audience ? [{ path: route.path, label: route.nav }] : [],
  );
}

/** Where a role starts: the first page of its navigation (a station, which has none, the customers'). */
export function homePath(who: Role): string {
  const audience = isOperator(who) ? "operator" : "customer";
  return ROUTES.find((route) => route.audience === audience)!.path;
}

/** The addresses that stand for "the start": a signed-in person is sent on to their home. */
export function isEntryPath(path: string): boolean {
  return path === PATHS.home || path === PATHS.signIn;
}

/**
 * The title of the page at `path` (without the portal's name), or undefined for an address with no page.
 * Signed out, every address shows the sign-in page, titled so; a job's page keeps the job's name, which the
 * address itself gives, so the tab still says which job the link was for.
 */
export function pageTitle(
  path: string,
  signedIn: boolean,
  t: (key: MessageKey) => string,
): string | undefined {
  const found = findRoute(path);
  if (!found) {
    return signedIn ? undefined : t("signInTitle");
  }
  const { title } = found.route;
  if (typeof title === "object") {
    return found.params[title.param];
  }
  return t(signedIn ? title : "signInTitle");
}

/** What the portal shows at `path` for a signed-in role: a page, the start (to be replaced by home), or a refusal. */
export type Resolution =
  | { kind: "page"; route: Route; params: Record<string, string> }
  | { kind: "entry" }
  | { kind: "refused"; reason: MessageKey };

export function resolve(path: string, who: Role): Resolution {
  if (who.role === "station") {
    return { kind: "refused", reason: "signInStation" };
  }
  const operator = isOperator(who);
  if (path.startsWith(OPERATOR_AREA) && !operator) {
    return { kind: "refused", reason: "operatorOnly" };
  }
  if (isEntryPath(path)) {
    return { kind: "entry" };
  }
  const found = findRoute(path);
  if (!found) {
    return { kind: "refused", reason: "notFoundPage" };
  }
  const { audience } = found.route;
  if (audience === "customer" && operator) {
    return { kind: "refused", reason: "customerOnly" };
  }
  if (audience === "operator" && !operator) {
    return { kind: "refused", reason: "operatorOnly" };
  }
  return { kind: "page", ...found };
}
