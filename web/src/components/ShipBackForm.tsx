/**
 * @module The operator's "ship back" form for one job in Packaging: carrier (the job's location's offered, any name
 * taken) and tracking of the return package.
 */

import { type FormEvent, useState } from "react";

import { api } from "../api";
import { useCarriers } from "../carriers";
import { useI18n } from "../i18n";
import { CarrierInput, ErrorMessage, Field } from "./ui";

export function ShipBackForm({
  jobId,
  jobName,
  location,
  onShipped,
}: {
  jobId: string;
  jobName: string;
  /** The job's location (any of its names): its carriers are offered. */
  location: string;
  onShipped: () => void;
}) {
  const { t } = useI18n();
  const carriers = useCarriers(location);
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.shipBack({ job: jobId, carrier: carrier.trim(), tracking: tracking.trim() });
      onShipped(); // the caller says so: the job leaves the queue, its page shows the new state
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t("shipBackForm", { name: jobName })}>
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
      <button type="submit" className="primary" disabled={busy || !carrier.trim() || !tracking.trim()}>
        {t("shipBackButton")}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
