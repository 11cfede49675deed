/** @module The portal's frame: who is signed in, the navigation their role allows, the language switch, and the routes. */

import { useEffect, useRef, useState } from "react";

import { api, whenUnauthorized, type WhoAmI } from "./api";
import { type Lang, type MessageKey, useI18n } from "./i18n";
import { CreateJob } from "./pages/CreateJob";
import { DriveFound } from "./pages/DriveFound";
import { Incoming } from "./pages/Incoming";
import { JobList } from "./pages/JobList";
import { JobPage } from "./pages/JobPage";
import { Queue } from "./pages/Queue";
import { ReceivePackage } from "./pages/ReceivePackage";
import { SignIn } from "./pages/SignIn";
import { Stations } from "./pages/Stations";
import { Link, navigate, useLocation } from "./router";
import { forgetToken, keepToken, sessionToken } from "./session";
import { isOperator, SessionContext } from "./session-context";

const CUSTOMER_NAV: [string, MessageKey][] = [
  ["/jobs", "navJobs"],
  ["/jobs/new", "navNewJob"],
];
const OPERATOR_NAV: [string, MessageKey][] = [
  ["/operator/incoming", "navIncoming"],
  ["/operator/receive", "navReceive"],
  ["/operator/queue", "navQueue"],
  ["/operator/stations", "navStations"],
  ["/operator/found", "navFound"],
];

const TITLES: Record<string, MessageKey> = {
  "/jobs": "jobsTitle",
  "/jobs/new": "newJobTitle",
  "/operator/incoming": "incomingTitle",
  "/operator/receive": "receiveTitle",
  "/operator/queue": "queueTitle",
  "/operator/stations": "stationsTitle",
  "/operator/found": "foundTitle",
};

function home(who: WhoAmI): string {
  return isOperator(who) ? "/operator/incoming" : "/jobs";
}

export function App() {
  const i18n = useI18n();
  const { path } = useLocation();
  const [who, setWho] = useState<WhoAmI | undefined>();
  const [checking, setChecking] = useState(Boolean(sessionToken()));

  // A token kept from earlier in this tab: ask the server who it is before showing anything.
  useEffect(() => {
    const token = sessionToken();
    if (!token) {
      return;
    }
    api.whoami().then(
      (me) => {
        setWho(me);
        setChecking(false);
      },
      () => {
        forgetToken();
        setChecking(false);
      },
    );
  }, []);

  useEffect(() => {
    whenUnauthorized(() => {
      forgetToken();
      setWho(undefined);
    });
  }, []);

  // After a navigation, focus goes to the new page's content, as a full page load would put it at the
  // top: a keyboard or screen-reader user starts on the page they asked for, not on a removed element.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) {
      firstPath.current = "";
      document.getElementById("main")?.focus({ preventScroll: true });
    }
  }, [path, who]);

  // Each page has its own title, in the chosen language: it is what a tab and a screen reader announce.
  useEffect(() => {
    const job = /^\/jobs\/[^/]+\/[^/]+\/([^/]+)$/.exec(path);
    const key = who ? TITLES[path] : "signInTitle";
    const page = job ? decodeURIComponent(job[1]!) : key ? i18n.t(key) : undefined;
    document.title = [page, i18n.t("appName")].filter(Boolean).join(" — ");
  }, [path, who, i18n]);

  const signIn = (token: string, me: WhoAmI) => {
    keepToken(token);
    setWho(me);
    if (path === "/" || path === "/signin") {
      navigate(home(me), { replace: true });
    }
  };
  const signOut = () => {
    forgetToken();
    setWho(undefined);
    navigate("/", { replace: true });
  };

  const language = (
    <div className="language">
      <label htmlFor="language">{i18n.t("language")}</label>
      <select id="language" value={i18n.lang} onChange={(e) => i18n.setLang(e.target.value as Lang)}>
        <option value="en" lang="en">
          English
        </option>
        <option value="fr" lang="fr">
          Français
        </option>
      </select>
    </div>
  );

  const nav = who ? (isOperator(who) ? OPERATOR_NAV : who.role === "customer" ? CUSTOMER_NAV : []) : [];

  return (
    <>
      <a className="skip" href="#main">
        {i18n.t("skipToContent")}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          {i18n.t("appName")}
        </Link>
        {nav.length > 0 ? (
          <nav aria-label={i18n.t("mainNav")}>
            <ul>
              {nav.map(([href, key]) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? "page" : undefined}>
                    {i18n.t(key)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="top-end">
          {language}
          {who ? (
            <>
              <span className="who">
                {i18n.t("signedInAs", { label: who.label, role: i18n.t(`role_${who.role}` as MessageKey) })}
              </span>
              <button type="button" onClick={signOut}>
                {i18n.t("signOut")}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {checking ? (
          <p>{i18n.t("loading")}</p>
        ) : who ? (
          <SessionContext.Provider value={{ who, signOut }}>
            <Routes path={path} who={who} />
          </SessionContext.Provider>
        ) : (
          <SignIn onSignedIn={signIn} />
        )}
      </main>
    </>
  );
}

function Routes({ path, who }: { path: string; who: WhoAmI }) {
  const { t } = useI18n();
  const operator = isOperator(who);
  useEffect(() => {
    if (path === "/" || path === "/signin") {
      navigate(home(who), { replace: true });
    }
  }, [path, who]);

  if (who.role === "station") {
    return <p className="error">{t("signInStation")}</p>;
  }
  if (path.startsWith("/operator/") && !operator) {
    return <Refused text={t("operatorOnly")} />;
  }
  switch (path) {
    case "/":
    case "/signin":
      return null;
    case "/jobs":
      return operator ? <Refused text={t("customerOnly")} /> : <JobList />;
    case "/jobs/new":
      return operator ? <Refused text={t("customerOnly")} /> : <CreateJob />;
    case "/operator/incoming":
      return <Incoming />;
    case "/operator/receive":
      return <ReceivePackage />;
    case "/operator/queue":
      return <Queue />;
    case "/operator/stations":
      return <Stations />;
    case "/operator/found":
      return <DriveFound />;
  }
  const job = /^\/jobs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (job) {
    const [, subscription, resourceGroup, name] = job.map((part) => decodeURIComponent(part ?? ""));
    return <JobPage subscription={subscription!} resourceGroup={resourceGroup!} name={name!} />;
  }
  return <Refused text={t("notFoundPage")} />;
}

function Refused({ text }: { text: string }) {
  return (
    <section>
      <h1>{text}</h1>
    </section>
  );
}
