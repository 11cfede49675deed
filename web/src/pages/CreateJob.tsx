/**
 * @module Creating a job: import (drives and their keys) or export (blobs), the return address and shipping.
 * The server validates; its errors are shown next to the field they name (the error's `target`).
 */

import { type FormEvent, useState } from "react";

import { api, ApiError, jobId } from "../api";
import { ErrorMessage, errorText, Field, fieldErrorText } from "../components/ui";
import { useLoad } from "../hooks";
import { useI18n } from "../i18n";
import { MAX_DRIVES_PER_JOB } from "../lifecycle";
import { jobPageHref } from "../paths";
import { navigate } from "../router";
import { useSession } from "../session-context";

const ADDRESS_FIELDS = [
  ["recipientName", true],
  ["streetAddress1", true],
  ["streetAddress2", false],
  ["city", true],
  ["stateOrProvince", false],
  ["postalCode", true],
  ["countryOrRegion", true],
  ["phone", true],
  ["email", true],
] as const;

type DriveRow = { driveId: string; bitLockerKey: string };

/** Targets the server names differently from the form: the URL's parts. */
const ALIASES: Record<string, string> = { jobName: "name", resourceGroupName: "resourceGroup" };

/**
 * The form key an API error names: `properties.returnAddress.city` → `returnAddress.city`,
 * `properties.driveList.1.driveId` → `driveList.1.driveId`. A drive error without an index (the domain's
 * `driveId`/`bitLockerKey`) names the drive in its message; that finds the row.
 */
export function fieldKey(
  target: string | undefined,
  message: string,
  drives: DriveRow[],
): string | undefined {
  if (!target) {
    return undefined;
  }
  let key = target.replace(/^properties\./, "").replace(/\[(\d+)\]/g, ".$1");
  key = ALIASES[key] ?? key;
  if (key === "driveId" || key === "bitLockerKey") {
    const index = drives.findIndex((d) => d.driveId && message.includes(`'${d.driveId}'`));
    key = `driveList.${Math.max(index, 0)}.${key}`;
  }
  return key;
}

export function CreateJob() {
  const i18n = useI18n();
  const { t } = i18n;
  const { who } = useSession();
  const locations = useLoad(() => api.locations(), []);
  const [subscription, setSubscription] = useState(who.subscriptions[0] ?? "");
  const [name, setName] = useState("");
  const [resourceGroup, setResourceGroup] = useState("");
  const [location, setLocation] = useState("");
  const [type, setType] = useState<"Import" | "Export">("Import");
  const [storageAccount, setStorageAccount] = useState("");
  const [drives, setDrives] = useState<DriveRow[]>([{ driveId: "", bitLockerKey: "" }]);
  const [blobs, setBlobs] = useState("");
  const [address, setAddress] = useState<Record<string, string>>({});
  const [carrier, setCarrier] = useState("");
  const [carrierAccount, setCarrierAccount] = useState("");
  const [logLevel, setLogLevel] = useState("Error");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const chosenLocation = location || locations.data?.value[0]?.name || "";
  const err = (key: string) => (errors[key] ? { error: errors[key] } : {});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // What is plainly missing is said at once, without a round trip.
    const missing: Record<string, string> = {};
    for (const [key, label, value] of [
      ["name", "jobName", name],
      ["resourceGroup", "resourceGroup", resourceGroup],
      ["storageAccountId", "storageAccountName", storageAccount],
    ] as const) {
      if (!value.trim()) {
        missing[key] = `${t(label)}: ${t("fieldRequired")}`;
      }
    }
    for (const [field, needed] of ADDRESS_FIELDS) {
      if (needed && !address[field]?.trim()) {
        missing[`returnAddress.${field}`] = `${t(field)}: ${t("fieldRequired")}`;
      }
    }
    setErrors(missing);
    setFormError(undefined);
    if (Object.keys(missing).length > 0) {
      setFormError(new Error(t("formHasErrors")));
      focusFirstError();
      return;
    }
    const account = storageAccount.trim().startsWith("/")
      ? storageAccount.trim()
      : `/subscriptions/${subscription}/resourceGroups/${resourceGroup.trim()}/providers/Microsoft.Storage/storageAccounts/${storageAccount.trim()}`;
    const returnAddress = Object.fromEntries(
      Object.entries(address)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v),
    );
    const driveList = drives
      .map((d) => ({ driveId: d.driveId.trim(), bitLockerKey: d.bitLockerKey.trim() }))
      .filter((d) => d.driveId || d.bitLockerKey);
    const paths = blobs
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const body = {
      location: chosenLocation,
      properties: {
        storageAccountId: account,
        jobType: type,
        returnAddress,
        ...(carrier.trim() || carrierAccount.trim()
          ? { returnShipping: { carrierName: carrier.trim(), carrierAccountNumber: carrierAccount.trim() } }
          : {}),
        logLevel,
        ...(type === "Import"
          ? { driveList }
          : {
              export: {
                blobList: {
                  blobPath: paths.filter((p) => !p.endsWith("/")),
                  blobPathPrefix: paths.filter((p) => p.endsWith("/")),
                },
              },
            }),
      },
    };
    setBusy(true);
    try {
      const job = await api.createJob(jobId(subscription, resourceGroup.trim(), name.trim()), body);
      navigate(jobPageHref(job));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        setErrors({ name: t("createExists") });
        setFormError(new Error(t("formHasErrors")));
      } else if (caught instanceof ApiError) {
        const key = fieldKey(caught.target, caught.message, drives);
        if (key && document.querySelector(`[data-field="${CSS.escape(key)}"]`)) {
          setErrors({ [key]: fieldErrorText(caught, i18n) });
          setFormError(new Error(t("formHasErrors")));
        } else {
          setFormError(caught);
        }
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
                <select id={id} value={subscription} onChange={(e) => setSubscription(e.target.value)}>
                  {who.subscriptions.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label={t("jobName")} help={t("jobNameHelp")} {...err("name")}>
            {(ids) => <Input {...ids} field="name" value={name} onChange={setName} />}
          </Field>
          <Field label={t("resourceGroup")} {...err("resourceGroup")}>
            {(ids) => (
              <Input {...ids} field="resourceGroup" value={resourceGroup} onChange={setResourceGroup} />
            )}
          </Field>
          <Field label={t("location")} {...err("location")}>
            {({ id, describedBy }) => (
              <select
                id={id}
                data-field="location"
                value={chosenLocation}
                aria-describedby={describedBy}
                onChange={(e) => setLocation(e.target.value)}
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
            {(["Import", "Export"] as const).map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name="jobType"
                  value={value}
                  checked={type === value}
                  onChange={() => setType(value)}
                />{" "}
                {t(`type_${value}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t("storageAccountName")} help={t("storageAccountHelp")} {...err("storageAccountId")}>
            {(ids) => (
              <Input {...ids} field="storageAccountId" value={storageAccount} onChange={setStorageAccount} />
            )}
          </Field>
        </fieldset>

        {type === "Import" ? (
          <fieldset>
            <legend>{t("sectionDrives")}</legend>
            <p className="help">{t("drivesHelp")}</p>
            {errors.driveList ? <p className="field-error">{errors.driveList}</p> : null}
            {drives.map((drive, index) => (
              <fieldset key={index} className="drive-row">
                <legend>{t("driveN", { n: index + 1 })}</legend>
                <Field label={t("driveId")} {...err(`driveList.${index}.driveId`)}>
                  {(ids) => (
                    <Input
                      {...ids}
                      field={`driveList.${index}.driveId`}
                      value={drive.driveId}
                      onChange={(value) =>
                        setDrives((all) => all.map((d, i) => (i === index ? { ...d, driveId: value } : d)))
                      }
                    />
                  )}
                </Field>
                <Field label={t("bitLockerKey")} {...err(`driveList.${index}.bitLockerKey`)}>
                  {(ids) => (
                    <Input
                      {...ids}
                      field={`driveList.${index}.bitLockerKey`}
                      value={drive.bitLockerKey}
                      autoComplete="off"
                      onChange={(value) =>
                        setDrives((all) =>
                          all.map((d, i) => (i === index ? { ...d, bitLockerKey: value } : d)),
                        )
                      }
                    />
                  )}
                </Field>
                {drives.length > 1 ? (
                  <button type="button" onClick={() => setDrives((all) => all.filter((_, i) => i !== index))}>
                    {t("removeDrive", { n: index + 1 })}
                  </button>
                ) : null}
              </fieldset>
            ))}
            <button
              type="button"
              disabled={drives.length >= MAX_DRIVES_PER_JOB}
              onClick={() => setDrives((all) => [...all, { driveId: "", bitLockerKey: "" }])}
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
                  value={blobs}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onChange={(e) => setBlobs(e.target.value)}
                />
              )}
            </Field>
          </fieldset>
        )}

        <fieldset>
          <legend>{t("sectionReturn")}</legend>
          <div className="grid">
            {ADDRESS_FIELDS.map(([field, needed]) => (
              <Field key={field} label={t(field)} optional={!needed} {...err(`returnAddress.${field}`)}>
                {(ids) => (
                  <Input
                    {...ids}
                    field={`returnAddress.${field}`}
                    value={address[field] ?? ""}
                    type={field === "email" ? "email" : field === "phone" ? "tel" : "text"}
                    autoComplete={AUTOCOMPLETE[field]}
                    onChange={(value) => setAddress((a) => ({ ...a, [field]: value }))}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t("sectionReturnShipping")}</legend>
          <div className="grid">
            <Field label={t("carrier")} optional {...err("returnShipping.carrierName")}>
              {(ids) => (
                <Input {...ids} field="returnShipping.carrierName" value={carrier} onChange={setCarrier} />
              )}
            </Field>
            <Field label={t("carrierAccountNumber")} optional {...err("returnShipping.carrierAccountNumber")}>
              {(ids) => (
                <Input
                  {...ids}
                  field="returnShipping.carrierAccountNumber"
                  value={carrierAccount}
                  onChange={setCarrierAccount}
                />
              )}
            </Field>
            <Field label={t("logLevel")}>
              {({ id }) => (
                <select id={id} value={logLevel} onChange={(e) => setLogLevel(e.target.value)}>
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

const AUTOCOMPLETE: Record<string, string> = {
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
  field: string;
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
