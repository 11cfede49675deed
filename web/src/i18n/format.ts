/** @module Locale formats for each language: dates, numbers, percentages, byte sizes and durations. */

/** The locale each portal language formats in. */
export const LOCALES = { en: "en-US", fr: "fr-FR" } as const;
export type Lang = keyof typeof LOCALES;

export interface Formats {
  date(iso: string | undefined): string;
  number(value: number): string;
  percent(value: number | undefined): string;
  bytes(value: number | undefined): string;
  duration(ms: number): string;
}

/** The formats of `lang`; `unknown` is what a missing value reads as. */
export function makeFormats(lang: Lang, unknown: string): Formats {
  const locale = LOCALES[lang];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  // French writes bytes as octets: Go, Mo, ko.
  const units = lang === "fr" ? ["o", "ko", "Mo", "Go", "To", "Po"] : ["B", "KB", "MB", "GB", "TB", "PB"];
  return {
    date: (iso) => {
      if (!iso) {
        return unknown;
      }
      const time = Date.parse(iso);
      return Number.isFinite(time) ? dateFormat.format(time) : iso;
    },
    number: (value) => numberFormat.format(value),
    percent: (value) => (value === undefined ? unknown : percentFormat.format(value / 100)),
    bytes: (value) => {
      if (value === undefined) {
        return unknown;
      }
      let scaled = value;
      let unit = 0;
      while (scaled >= 1000 && unit < units.length - 1) {
        scaled /= 1000;
        unit++;
      }
      const digits = unit === 0 ? 0 : scaled < 10 ? 2 : 1;
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(scaled)} ${units[unit]}`;
    },
    duration: (ms) => {
      const minutes = Math.max(0, Math.round(ms / 60_000));
      const [value, unit] =
        minutes >= 2 * 24 * 60
          ? [Math.floor(minutes / (24 * 60)), "day"]
          : minutes >= 120
            ? [Math.floor(minutes / 60), "hour"]
            : [minutes, "minute"];
      return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
    },
  };
}
