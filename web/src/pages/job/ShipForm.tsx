/**
 * @module The customer's "record tracking and ship" form: carrier (one the job's location takes), tracking number
 * and drive count of the package sent to the data center. A refusal is shown next to the field its `target` names.
 */

import { type FormEvent, useState } from "react";

import { api, ApiError, type ArmJob } from "../../api";
import { listedCarrier, useCarriers } from "../../carriers";
import { CarrierInput, ErrorMessage, Field, fieldErrorText } from "../../components/ui";
import { fieldOf } from "../../error-target";
import { useI18n } from "../../i18n";

/** The form's fields, named as the server's targets name them. */
const CARRIER = "deliveryPackage.carrierName";
const TRACKING = "deliveryPackage.trackingNumber";
const COUNT = "deliveryPackage.driveCount";
const FIELDS = new Set([CARRIER, TRACKING, COUNT]);

export function ShipForm({ job, onShipped }: { job: ArmJob; onShipped: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = job.properties;
  // The carrier is often the one already named for this job, going or coming back.
  const [carrier, setCarrier] = useState(
    p.deliveryPackage?.carrierName ?? p.returnShipping?.carrierName ?? "",
  );
  const [tracking, setTracking] = useState("");
  const [count, setCount] = useState(String(p.driveList?.length || 1));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // The server takes only the carriers of the job's location here: they are offered as a choice. Until they are
  // known the choice waits, disabled; if they cannot be read (or the location lists none), the name is typed.
  const carriers = useCarriers(job.location);
  const choices = carriers.list?.length ? carriers.list : undefined;

  const ship = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.patchJob(job.id, {
        state: "Shipping",
        deliveryPackage: {
          carrierName: (choices && listedCarrier(choices, carrier)) ?? carrier.trim(),
          trackingNumber: tracking.trim(),
          driveCount: Number(count),
        },
      });
      onShipped();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const refusal = error instanceof ApiError ? error : undefined;
  const field = fieldOf(refusal?.target, FIELDS);
  const errorFor = (name: string) =>
    refusal && field === name ? { error: fieldErrorText(refusal, i18n) } : {};

  return (
    <form onSubmit={ship} noValidate>
      <p className="help">{t("shipHelp")}</p>
      <Field label={t("carrier")} {...errorFor(CARRIER)}>
        {({ id, describedBy, invalid }) =>
          choices || carriers.loading ? (
            <select
              id={id}
              value={listedCarrier(choices ?? [], carrier) ?? ""}
              disabled={!choices}
              onChange={(e) => setCarrier(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              required
            >
              <option value="">{t("chooseCarrier")}</option>
              {(choices ?? []).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          ) : (
            <CarrierInput
              id={id}
              carriers={undefined}
              value={carrier}
              onChange={setCarrier}
              describedBy={describedBy}
              invalid={invalid}
              required
            />
          )
        }
      </Field>
      <Field label={t("trackingNumber")} {...errorFor(TRACKING)}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            value={tracking}
            onChange={(e) => setTracking(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            required
          />
        )}
      </Field>
      <Field label={t("driveCount")} {...errorFor(COUNT)}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="number"
            min={1}
            max={10}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      {error && !field ? <ErrorMessage error={error} /> : null}
      <button type="submit" className="primary" disabled={busy}>
        {t("shipButton")}
      </button>
    </form>
  );
}
