/**
 * @module The portal's language: the provider that keeps the choice, and the hook pages read words, state
 * names and formats through. The words are in en.ts and fr.ts, the state names in names.ts, the formats in format.ts.
 */

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";

import { en, type MessageKey } from "./en";
import { type Formats, type Lang, makeFormats } from "./format";
import { fr, FRENCH_API_ERRORS } from "./fr";
import { DRIVE_STATE_NAMES, JOB_STATE_NAMES } from "./names";

export type { MessageKey } from "./en";
export type { Lang } from "./format";

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, fr };
const LANG_KEY = "sneakernet.lang";

export interface I18n extends Formats {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  jobState(state: string): string;
  driveState(state: string): string;
  /** An API error code in this language, when the portal has its own words for it. */
  apiError(code: string): string | undefined;
}

/** The browser's language if it is French, else English; a choice made in the portal wins. */
function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "en" || saved === "fr") {
      return saved;
    }
  } catch {
    // No storage: fall through to the browser's preference.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().slice(0, 2);
    if (base === "fr" || base === "en") {
      return base;
    }
  }
  return "en";
}

/** A state's name; a state this portal does not know yet keeps the API's name. */
function nameOf(names: Readonly<Record<string, string>>, state: string): string {
  return Object.hasOwn(names, state) ? names[state]! : state;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const dictionary = DICTIONARIES[lang];
  const t = (key: MessageKey, values: Record<string, string | number> = {}) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  return {
    lang,
    setLang,
    t,
    ...makeFormats(lang, t("unknown")),
    jobState: (state) => nameOf(JOB_STATE_NAMES[lang], state),
    driveState: (state) => nameOf(DRIVE_STATE_NAMES[lang], state),
    apiError: (code) =>
      lang === "fr" && Object.hasOwn(FRENCH_API_ERRORS, code) ? FRENCH_API_ERRORS[code] : undefined,
  };
}

const I18nContext = createContext<I18n>(makeI18n("en", () => {}));

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const value = useMemo(
    () =>
      makeI18n(lang, (next) => {
        try {
          localStorage.setItem(LANG_KEY, next);
        } catch {
          // The choice then lasts until reload only.
        }
        setLangState(next);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang; // screen readers pronounce the page in its language
  }, [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
