/** @module The operator's "ship back" form for one job in Packaging: carrier and tracking of the return package. */

import { type FormEvent, useState } from "react";

import { api } from "../api";
import { useI18n } from "../i18n";
import { ErrorMessage, Field } from "./ui";

export function ShipBackForm({
  jobId,
  jobName,
  onShipped,
}: {
  jobId: string;
  jobName: string;
  onShipped: () => void;
}) {
  const { t } = useI18n();
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
        {({ id }) => <input id={id} value={carrier} required onChange={(e) => setCarrier(e.target.value)} />}
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
