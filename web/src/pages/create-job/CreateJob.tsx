/**
 * @module Creating a job: import (drives and their keys) or export (blobs), the return address and shipping.
 * The server validates; its errors are shown next to the field their `target` names. The form's state is in
 * form.ts, the request it makes in job-request.ts.
 */

import { type FormEvent, useReducer, useState } from "react";

import { api, ApiError } from "../../api";
import { carriersAt } from "../../carriers";
import { CarrierInput, ErrorMessage, errorText, Field, fieldErrorText } from "../../components/ui";
import { fieldOf } from "../../error-target";
import { useLoad } from "../../hooks";
import { useI18n } from "../../i18n";
import { JOB_TYPES, MAX_DRIVES_PER_JOB } from "../../lifecycle";
import { jobPageHref } from "../../paths";
import { navigate } from "../../router";
import { useSession } from "../../session-context";
import {
  ADDRESS_FIELDS,
  type AddressField,
  addressField,
  createJobReducer,
  driveField,
  type FieldKey,
  formFields,
  initialForm,
  missingFields,
} from "./form";
import { jobRequest } from "./job-request";

export function CreateJob() {
  const i18n = useI18n();
  const { t } = i18n;
  const { who } = useSession();
  const locations = useLoad(() => api.locations(), []);
  const [form, dispatch] = useReducer(createJobReducer, who.subscriptions[0] ?? "", initialForm);
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [formError, setFormError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const chosenLocation = form.location || locations.data?.value[0]?.name || "";
  const err = (key: FieldKey) => (errors[key] ? { error: errors[key] } : {});
  const textProps = (field: "name" | "resourceGroup" | "storageAccount" | "carrier" | "carrierAccount") => ({
    value: form[field],
    onChange: (value: string) => dispatch({ type: "set", field, value }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = missingFields(form);
    setErrors(
      Object.fromEntries(missing.map(({ field, label }) => [field, `${t(label)}: ${t("fieldRequired")}`])),
    );
    setFormError(undefined);
    if (missing.length > 0) {
      setFormError(new Error(t("formHasErrors")));
      focusFirstError();
      return;
    }
    const request = jobRequest(form, chosenLocation);
    setBusy(true);
    try {
      const job = await api.createJob(request.id, request.body);
      navigate(jobPageHref(job));
    } catch (caught) {
      const refusal = caught instanceof ApiError ? caught : undefined;
      // A 412 is If-None-Match: * refusing: a job of this name exists already. It names no target; the
      // status alone says it is the name field's.
      const field =
        refusal?.status === 412
          ? "name"
          : fieldOf(refusal?.target, formFields(form), { driveList: request.driveRows });
      if (refusal && field) {
        setErrors({ [field]: refusal.status === 412 ? t("createExists") : fieldErrorText(refusal, i18n) });
        setFormError(new Error(t("formHasErrors")));
      } else {
        setFormError(caught);
      }
      focusFirstError();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t("newJobTitle")}</h1>
      <form className="create" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t("sectionJob")}</legend>
          {who.subscriptions.length > 1 ? (
            <Field label={t("subscription")}>
              {({ id }) => (
                <select
                  id={id}
                  value={form.subscription}
                  onChange={(e) => dispatch({ type: "set", field: "subscription", value: e.target.value })}
                >
                  {who.subscriptions.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label={t("jobName")} help={t("jobNameHelp")} {...err("name")}>
            {(ids) => <Input {...ids} field="name" {...textProps("name")} />}
          </Field>
          <Field label={t("resourceGroup")} {...err("resourceGroup")}>
            {(ids) => <Input {...ids} field="resourceGroup" {...textProps("resourceGroup")} />}
          </Field>
          <Field label={t("location")} {...err("location")}>
            {({ id, describedBy }) => (
              <select
                id={id}
                data-field="location"
                value={chosenLocation}
                aria-describedby={describedBy}
                onChange={(e) => dispatch({ type: "set", field: "location", value: e.target.value })}
              >
                {(locations.data?.value ?? []).map((l) => (
                  <option key={l.id} value={l.name}>
                    {l.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="radios">
            <legend>{t("jobType")}</legend>
            {JOB_TYPES.map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name="jobType"
                  value={value}
                  checked={form.type === value}
                  onChange={() => dispatch({ type: "setJobType", jobType: value })}
                />
                <span>{t(`type_${value}`)}</span>
              </label>
            ))}
          </fieldset>
          <Field label={t("storageAccountName")} help={t("storageAccountHelp")} {...err("storageAccountId")}>
            {(ids) => <Input {...ids} field="storageAccountId" {...textProps("storageAccount")} />}
          </Field>
        </fieldset>

        {form.type === "Import" ? (
          <fieldset>
            <legend>{t("sectionDrives")}</legend>
            <p className="help">{t("drivesHelp")}</p>
            {form.drives.map((drive, index) => (
              <fieldset key={index} className="drive-row">
                <legend>{t("driveN", { n: index + 1 })}</legend>
                {(["driveId", "bitLockerKey"] as const).map((part) => (
                  <Field key={part} label={t(part)} {...err(driveField(index, part))}>
                    {(ids) => (
                      <Input
                        {...ids}
                        field={driveField(index, part)}
                        value={drive[part]}
                        // A key is a secret: the browser must not offer to remember it.
                        {...(part === "bitLockerKey" ? { autoComplete: "off" } : {})}
                        onChange={(value) => dispatch({ type: "setDrive", index, field: part, value })}
                      />
                    )}
                  </Field>
                ))}
                {form.drives.length > 1 ? (
                  <button type="button" onClick={() => dispatch({ type: "removeDrive", index })}>
                    {t("removeDrive", { n: index + 1 })}
                  </button>
                ) : null}
              </fieldset>
            ))}
            <button
              type="button"
              disabled={form.drives.length >= MAX_DRIVES_PER_JOB}
              onClick={() => dispatch({ type: "addDrive" })}
            >
              {t("addDrive")}
            </button>
          </fieldset>
        ) : (
          <fieldset>
            <legend>{t("sectionExport")}</legend>
            <Field label={t("blobPaths")} help={t("blobPathsHelp")} {...err("export")}>
              {({ id, describedBy, invalid }) => (
                <textarea
                  id={id}
                  data-field="export"
                  rows={4}
                  value={form.blobs}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onChange={(e) => dispatch({ type: "set", field: "blobs", value: e.target.value })}
                />
              )}
            </Field>
          </fieldset>
        )}

        <fieldset>
          <legend>{t("sectionReturn")}</legend>
          <div className="grid">
            {ADDRESS_FIELDS.map(([field, needed]) => (
              <Field key={field} label={t(field)} optional={!needed} {...err(addressField(field))}>
                {(ids) => (
                  <Input
                    {...ids}
                    field={addressField(field)}
                    value={form.address[field] ?? ""}
                    type={field === "email" ? "email" : field === "phone" ? "tel" : "text"}
                    autoComplete={AUTOCOMPLETE[field]}
                    onChange={(value) => dispatch({ type: "setAddress", field, value })}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t("sectionReturnShipping")}</legend>
          <div className="grid">
            {/* Any carrier's name is taken for the way back; the chosen location's are offered. */}
            <Field label={t("carrier")} optional {...err("returnShipping.carrierName")}>
              {(ids) => (
                <CarrierInput
                  {...ids}
                  field="returnShipping.carrierName"
                  carriers={carriersAt(locations.data?.value ?? [], chosenLocation)}
                  {...textProps("carrier")}
                />
              )}
            </Field>
            <Field label={t("carrierAccountNumber")} optional {...err("returnShipping.carrierAccountNumber")}>
              {(ids) => (
                <Input
                  {...ids}
                  field="returnShipping.carrierAccountNumber"
                  {...textProps("carrierAccount")}
                />
              )}
            </Field>
            <Field label={t("logLevel")} {...err("logLevel")}>
              {({ id, describedBy, invalid }) => (
                <select
                  id={id}
                  data-field="logLevel"
                  value={form.logLevel}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onChange={(e) => dispatch({ type: "set", field: "logLevel", value: e.target.value })}
                >
                  <option value="Error">Error</option>
                  <option value="Verbose">Verbose</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        {formError ? (
          formError instanceof ApiError ? (
            <ErrorMessage error={formError} />
          ) : (
            <p className="error" role="alert">
              {formError instanceof Error ? formError.message : errorText(formError, i18n)}
            </p>
          )
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {t("createButton")}
        </button>
      </form>
    </section>
  );
}

const AUTOCOMPLETE: Record<AddressField, string> = {
  recipientName: "name",
  streetAddress1: "address-line1",
  streetAddress2: "address-line2",
  city: "address-level2",
  stateOrProvince: "address-level1",
  postalCode: "postal-code",
  countryOrRegion: "country-name",
  phone: "tel",
  email: "email",
};

function Input(props: {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
  field: FieldKey;
  value: string;
  type?: string;
  autoComplete?: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <input
      id={props.id}
      data-field={props.field}
      type={props.type ?? "text"}
      value={props.value}
      autoComplete={props.autoComplete}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** Moves focus to the first field in error, once React has drawn it. */
function focusFirstError() {
  setTimeout(() => {
    const first = document.querySelector<HTMLElement>('[aria-invalid="true"], .error[role="alert"]');
    if (first) {
      if (first.matches("input, select, textarea")) {
        first.focus();
      } else {
        first.setAttribute("tabindex", "-1");
        first.focus();
      }
    }
  }, 0);
}
