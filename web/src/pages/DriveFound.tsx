/** @module Operators: a NeverReceived drive that turned up in another package is recorded, and its job picks it up again. */

import { type FormEvent, useState } from "react";

import { api, type JobSummary } from "../api";
import { useCarriers } from "../carriers";
import { CarrierInput, ErrorMessage, Field } from "../components/ui";
import { useI18n } from "../i18n";
import { jobPageHref } from "../paths";
import { Link } from "../router";

export function DriveFound() {
  const { t } = useI18n();
  const [serial, setSerial] = useState("");
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ serial: string; job: JobSummary }>();
  const [busy, setBusy] = useState(false);
  // The package it came in may be any data center's: every location's carriers are offered.
  const carriers = useCarriers();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const { job } = await api.driveFound({
        serial: serial.trim(),
        carrier: carrier.trim(),
        tracking: tracking.trim(),
      });
      setDone({ serial: serial.trim(), job });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>{t("foundTitle")}</h1>
      <p className="help">{t("foundHelp")}</p>
      <form className="stacked" onSubmit={submit}>
        <Field label={t("serial")}>
          {({ id }) => <input id={id} value={serial} required onChange={(e) => setSerial(e.target.value)} />}
        </Field>
        <Field label={t("carrier")}>
          {({ id }) => (
            <CarrierInput id={id} carriers={carriers.list} value={carrier} required onChange={setCarrier} />
          )}
        </Field>
        <Field label={t("trackingNumber")}>
          {({ id }) => (
            <input id={id} value={tracking} required onChange={(e) => setTracking(e.target.value)} />
          )}
        </Field>
        <ErrorMessage error={error} />
        <button
          type="submit"
          className="primary"
          disabled={busy || !serial.trim() || !carrier.trim() || !tracking.trim()}
        >
          {t("foundButton")}
        </button>
      </form>
      {done ? (
        <p role="status">
          {t("foundDone", { serial: done.serial, job: done.job.name })}{" "}
          <Link href={jobPageHref(done.job)}>{done.job.name}</Link>
        </p>
      ) : null}
    </section>
  );
}
