/** @module The portal's frame: who is signed in, the navigation their role allows, the language switch, and the routes. */

import { useEffect, useRef, useState } from "react";

import { api, whenUnauthorized, type WhoAmI } from "./api";
import { type Lang, useI18n } from "./i18n";
import { SignIn } from "./pages/SignIn";
import { PATHS } from "./paths";
import { Link, navigate, useLocation } from "./router";
import { homePath, isEntryPath, navFor, pageTitle, resolve } from "./routes";
import { forgetToken, keepToken, sessionToken } from "./session";
import { SessionContext } from "./session-context";

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
    document.title = [pageTitle(path, Boolean(who), i18n.t), i18n.t("appName")].filter(Boolean).join(" — ");
  }, [path, who, i18n]);

  const signIn = (token: string, me: WhoAmI) => {
    keepToken(token);
    setWho(me);
    if (isEntryPath(path)) {
      navigate(homePath(me), { replace: true });
    }
  };
  const signOut = () => {
    forgetToken();
    setWho(undefined);
    navigate(PATHS.home, { replace: true });
  };

  // The label is for screen readers only: the choices name their languages in their own words, and the
  // room it took is what an operator's five links need to keep the header on one line.
  const language = (
    <div className="language">
      <label htmlFor="language" className="visually-hidden">
        {i18n.t("language")}
      </label>
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

  const nav = who ? navFor(who) : [];
  const whoText = who ? i18n.t("signedInWho", { label: who.label, role: i18n.t(`role_${who.role}`) }) : "";

  return (
    <>
      <a className="skip" href="#main">
        {i18n.t("skipToContent")}
      </a>
      <header className="top">
        <Link href={PATHS.home} className="brand">
          {i18n.t("appName")}
        </Link>
        {nav.length > 0 ? (
          <nav aria-label={i18n.t("mainNav")}>
            <ul>
              {nav.map(({ path: href, label }) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? "page" : undefined}>
                    {i18n.t(label)}
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
              {/* "Signed in as" is heard, not shown: next to Sign out, the name and role say it. */}
              <span className="who" title={`${i18n.t("signedInAs")} ${whoText}`}>
                <span className="visually-hidden">{i18n.t("signedInAs")} </span>
                {whoText}
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

/** The page at `path` for who is signed in, as the route table says; the start address leads to their home. */
function Routes({ path, who }: { path: string; who: WhoAmI }) {
  const { t } = useI18n();
  useEffect(() => {
    if (isEntryPath(path)) {
      navigate(homePath(who), { replace: true });
    }
  }, [path, who]);

  const shown = resolve(path, who);
  switch (shown.kind) {
    case "entry":
      return null;
    case "page":
      return shown.route.render(shown.params);
    case "refused":
      // A station has no pages at all: it is told so as an error, not as a page that is refused.
      return shown.reason === "signInStation" ? (
        <p className="error">{t(shown.reason)}</p>
      ) : (
        <Refused text={t(shown.reason)} />
      );
  }
}

function Refused({ text }: { text: string }) {
  return (
    <section>
      <h1>{text}</h1>
    </section>
  );
}
