/** @module The portal's small building blocks: state badges, progress bars, fields with their errors, actions with reasons. */

import { type ReactNode, useId, useState } from "react";

import { ApiError } from "../api";
import { type I18n, type MessageKey, useI18n } from "../i18n";
import type { Refusal } from "../lifecycle";

const TONE: Record<string, string> = {
  Creating: "neutral",
  Specified: "neutral",
  Shipping: "info",
  Received: "info",
  Transferring: "active",
  Packaging: "active",
  Completed: "good",
  ShippedBack: "good",
  CompletedMoreInfo: "warn",
  Closed: "warn",
  NeverReceived: "bad",
  Canceled: "muted",
};

export function StateBadge({ state, kind }: { state: string; kind: "job" | "drive" }) {
  const i18n = useI18n();
  const label = kind === "job" ? i18n.jobState(state) : i18n.driveState(state);
  return (
    <span className={`badge badge-${TONE[state] ?? "neutral"}`} data-state={state}>
      {label}
    </span>
  );
}

export function ProgressBar({ value, label }: { value: number | undefined; label: string }) {
  const i18n = useI18n();
  if (value === undefined) {
    return <span>{i18n.t("unknown")}</span>;
  }
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <span className="progress-cell">
      <span
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={clamped}
      >
        <span className="progress-fill" style={{ width: `${clamped}%` }} />
      </span>
      <span className="progress-text">{i18n.percent(clamped)}</span>
    </span>
  );
}

/**
 * An API error in words a person understands: the portal's own words for what is general (the network,
 * access, a job gone, a concurrent change), and for a specific refusal the server's sentence, or its
 * translation.
 */
export function errorText(error: unknown, i18n: I18n, notFound: MessageKey = "errNotFound"): string {
  const { t } = i18n;
  if (error instanceof ApiError) {
    if (error.status === 0) {
      return t("errNetwork");
    }
    if (error.status === 403) {
      return t("errForbidden");
    }
    if (error.status === 412) {
      return t("errConflict");
    }
    if (error.status === 404 && (error.code === "ResourceNotFound" || error.code === "NotFound")) {
      return t(notFound);
    }
    return i18n.apiError(error.code) ?? t("errGeneric", { message: error.message });
  }
  return t("errGeneric", { message: error instanceof Error ? error.message : String(error) });
}

/** The words for an error shown next to its field: no "the server refused" before them. */
export function fieldErrorText(error: ApiError, i18n: I18n): string {
  return i18n.apiError(error.code) ?? error.message;
}

export function ErrorMessage({ error, notFound }: { error: unknown; notFound?: MessageKey }) {
  const i18n = useI18n();
  if (!error) {
    return null;
  }
  return (
    <p className="error" role="alert">
      {errorText(error, i18n, notFound)}
    </p>
  );
}

/** A labelled control with its help and its error; the error is tied to the control for screen readers. */
export function Field(props: {
  label: string;
  help?: string;
  error?: string;
  optional?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${props.error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>
        {props.label}
        {props.optional ? <span className="optional"> ({t("optional")})</span> : null}
      </label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.help ? (
        <p className="help" id={helpId}>
          {props.help}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function refusalText(refusal: Refusal, i18n: ReturnType<typeof useI18n>): string {
  switch (refusal.key) {
    case "notInState":
      return i18n.t("whyNotInState", {
        allowed: refusal.allowed.map((state) => i18n.jobState(state)).join(", "),
        state: i18n.jobState(refusal.state),
      });
    case "needsReturnAddress":
      return i18n.t("whyNeedsReturnAddress");
    case "needsDrives":
      return i18n.t("whyNeedsDrives");
  }
}

/**
 * A button that asks for confirmation in place, and when the action is not allowed is shown disabled
 * with its reason beside it (tied by aria-describedby, so the reason is read with the button).
 */
export function Action(props: {
  label: string;
  refusal: Refusal | undefined;
  confirm?: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
}) {
  const i18n = useI18n();
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      setAsking(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const reason = props.refusal ? refusalText(props.refusal, i18n) : undefined;
  return (
    <div className="action">
      {asking && props.confirm ? (
        <div className="confirm" role="group" aria-label={props.label}>
          <p>{props.confirm}</p>
          <button type="button" className={props.danger ? "danger" : "primary"} disabled={busy} onClick={run}>
            {i18n.t("confirm")}
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)} disabled={busy}>
            {i18n.t("cancel")}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className={props.danger ? "danger" : undefined}
          disabled={Boolean(reason) || busy}
          aria-describedby={reason ? `${id}-why` : undefined}
          onClick={() => (props.confirm ? setAsking(true) : void run())}
        >
          {props.label}
        </button>
      )}
      {reason ? (
        <p className="reason" id={`${id}-why`}>
          {reason}
        </p>
      ) : null}
      <ErrorMessage error={error} />
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen; focusable so the keyboard can scroll it too. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-region" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/**
 * A carrier's name, typed freely, with `carriers` offered as suggestions (a datalist): for where the server takes
 * any carrier's name.
 */
export function CarrierInput(props: {
  id: string;
  carriers: readonly string[] | undefined;
  value: string;
  onChange: (value: string) => void;
  describedBy?: string | undefined;
  invalid?: boolean;
  required?: boolean;
  field?: string;
}) {
  const listId = `${props.id}-carriers`;
  const offered = props.carriers ?? [];
  return (
    <>
      <input
        id={props.id}
        data-field={props.field}
        list={offered.length ? listId : undefined}
        value={props.value}
        autoComplete="off"
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid}
        required={props.required}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {offered.length ? (
        <datalist id={listId}>
          {offered.map((carrier) => (
            <option key={carrier} value={carrier} />
          ))}
        </datalist>
      ) : null}
    </>
  );
}
