/**
 * @module Operators: receive a package. Find it by carrier and tracking, type or scan the serials, see which
 * drives are expected, missing (→ NeverReceived) and extra before confirming, then receive it.
 */

import { type FormEvent, type KeyboardEvent, useEffect, useState } from "react";

import { api, type JobSummary, type ReceiveResult } from "../api";
import { useCarriers } from "../carriers";
import { CarrierInput, ErrorMessage, Field, StateBadge } from "../components/ui";
import { useI18n } from "../i18n";
import { jobPageHref } from "../paths";
import { Link, useLocation } from "../router";

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/** Which serials are expected and present, missing, or extra, for the job the package is for. */
export function preview(job: JobSummary, serials: string[]) {
  const expected = job.drives.map((d) => d.driveId);
  return {
    present: expected.filter((e) => serials.some((s) => same(s, e))),
    missing: expected.filter((e) => !serials.some((s) => same(s, e))),
    extra: serials.filter((s) => !expected.some((e) => same(s, e))),
  };
}

export function ReceivePackage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const [carrier, setCarrier] = useState(query.get("carrier") ?? "");
  const [tracking, setTracking] = useState(query.get("tracking") ?? "");
  const [jobs, setJobs] = useState<JobSummary[]>();
  const [findError, setFindError] = useState<unknown>();
  const [serial, setSerial] = useState("");
  const [serials, setSerials] = useState<string[]>([]);
  const [result, setResult] = useState<ReceiveResult>();
  const [receiveError, setReceiveError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // Every location's carriers are offered: the package is found by the name its customer gave.
  const carriers = useCarriers();

  const find = async (event?: FormEvent) => {
    event?.preventDefault();
    setFindError(undefined);
    setResult(undefined);
    try {
      setJobs((await api.packageJobs(carrier.trim(), tracking.trim())).value);
    } catch (caught) {
      setJobs(undefined);
      setFindError(caught);
    }
  };
  // Arriving from "Receive" on the incoming list: the package is named already.
  useEffect(() => {
    if (carrier && tracking) {
      void find();
    }
    // Only on arrival: later edits wait for the button.
  }, []);

  const add = () => {
    const value = serial.trim();
    if (value && !serials.some((s) => same(s, value))) {
      setSerials((all) => [...all, value]);
    }
    setSerial("");
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault(); // A scanner ends each serial with Enter: add it, do not submit.
      add();
    }
  };
  const receive = async () => {
    setBusy(true);
    setReceiveError(undefined);
    try {
      setResult(await api.receive({ carrier: carrier.trim(), tracking: tracking.trim(), drives: serials }));
    } catch (caught) {
      setReceiveError(caught);
    } finally {
      setBusy(false);
    }
  };

  const job = jobs?.find((j) => j.state === "Shipping" || j.state === "Creating") ?? jobs?.[0];
  const view = job ? preview(job, serials) : undefined;
  const exportJob = job?.type === "Export";

  return (
    <section>
      <h1>{t("receiveTitle")}</h1>
      <form className="inline-form" onSubmit={find} aria-label={t("findPackage")}>
        <Field label={t("carrier")}>
          {({ id }) => (
            <CarrierInput id={id} carriers={carriers.list} value={carrier} required onChange={setCarrier} />
          )}
        </Field>
        <Field label={t("trackingNumber")}>
          {({ id }) => (
            <input id={id} value={tracking} onChange={(e) => setTracking(e.target.value)} required />
          )}
        </Field>
        <button type="submit" disabled={!carrier.trim() || !tracking.trim()}>
          {t("findPackage")}
        </button>
      </form>
      <ErrorMessage error={findError} />
      {jobs && jobs.length === 0 ? <p role="status">{t("packageNotFound")}</p> : null}
      {job && !result ? (
        <>
          <p role="status">
            {t("packageFor", {
              job: job.name,
              type: t(exportJob ? "type_Export" : "type_Import"),
              state: i18n.jobState(job.state),
            })}{" "}
            <Link href={jobPageHref(job)}>{t("openJob")}</Link>
          </p>
          <div className="inline-form">
            <Field label={t("serialsLabel")} help={t("serialsHelp")}>
              {({ id, describedBy }) => (
                <input
                  id={id}
                  value={serial}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={describedBy}
                  onChange={(e) => setSerial(e.target.value)}
                  onKeyDown={onKey}
                />
              )}
            </Field>
            <button type="button" onClick={add} disabled={!serial.trim()}>
              {t("addSerial")}
            </button>
          </div>
          <h2>{t("scanned")}</h2>
          {serials.length === 0 ? (
            <p>{t("none")}</p>
          ) : (
            <ul className="serials">
              {serials.map((s) => (
                <li key={s}>
                  <code>{s}</code>{" "}
                  <button
                    type="button"
                    className="small"
                    onClick={() => setSerials((all) => all.filter((x) => x !== s))}
                    aria-label={t("removeSerial", { serial: s })}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <section className="preview" aria-live="polite">
            <h2>{t("previewTitle")}</h2>
            {exportJob ? (
              <PreviewList title={t("previewRegister")} serials={serials} tone="good" />
            ) : view ? (
              <>
                <PreviewList title={t("previewPresent")} serials={view.present} tone="good" />
                <PreviewList title={t("previewMissing")} serials={view.missing} tone="bad" />
                <PreviewList title={t("previewExtra")} serials={view.extra} tone="warn" />
              </>
            ) : null}
          </section>
          <ErrorMessage error={receiveError} />
          <button type="button" className="primary" onClick={receive} disabled={busy}>
            {t("receiveConfirm")}
          </button>
        </>
      ) : null}
      {result ? (
        <div className="result" role="status">
          <p>
            {result.status === "Held"
              ? t("receiveHeld")
              : t("receiveDone", {
                  received: result.received.length + result.registered.length,
                  missing: result.neverReceived.length,
                  extra: result.extra.length,
                })}
          </p>
          <p>
            <Link href={jobPageHref(result.job)}>{result.job.name}</Link>{" "}
            <StateBadge state={result.job.state} kind="job" />
          </p>
        </div>
      ) : null}
    </section>
  );
}

function PreviewList({ title, serials, tone }: { title: string; serials: string[]; tone: string }) {
  const { t } = useI18n();
  return (
    <div className={`preview-${tone}`}>
      <h3>
        {title} ({serials.length})
      </h3>
      {serials.length ? (
        <ul>
          {serials.map((s) => (
            <li key={s}>
              <code>{s}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("none")}</p>
      )}
    </div>
  );
}
