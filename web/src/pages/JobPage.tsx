/**
 * @module One job: its path through the states, its drives, its history, where to ship and what came back,
 * and the actions LIFECYCLE.md allows now (the others shown disabled, with the reason). Live.
 */

import { type FormEvent, useState } from "react";

import {
  type Address,
  api,
  ApiError,
  type ArmJob,
  type BitLockerKey,
  eventPaths,
  type HistoryEntry,
  jobId,
} from "../api";
import { isOperator, useSession } from "../App";
import { ShipBackForm } from "../components/ShipBackForm";
import {
  Action,
  ErrorMessage,
  errorText,
  Field,
  fieldErrorText,
  ProgressBar,
  StateBadge,
  TableRegion,
} from "../components/ui";
import { useLiveUpdates, useLoad, useRefreshWhile } from "../hooks";
import { type I18n, useI18n } from "../i18n";
import { jobPath, whyNotCancel, whyNotDelete, whyNotShip } from "../lifecycle";
import { Link, navigate } from "../router";

export function JobPage(props: { subscription: string; resourceGroup: string; name: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { who } = useSession();
  const id = jobId(props.subscription, props.resourceGroup, props.name);
  const loaded = useLoad(async () => {
    const [job, history] = await Promise.all([api.job(id), api.history(id)]);
    return { job, history: history.value };
  }, [id]);
  useLiveUpdates(loaded.error ? undefined : eventPaths.job(id), loaded.reload);
  useRefreshWhile(loaded.data?.job.properties.state === "Transferring", loaded.reload);
  const operator = isOperator(who);
  const back = (
    <p>
      <Link href={operator ? "/operator/queue" : "/jobs"}>{operator ? t("navQueue") : t("backToJobs")}</Link>
    </p>
  );

  if (!loaded.data) {
    return (
      <section>
        {back}
        {loaded.error ? (
          <ErrorMessage error={loaded.error} notFound="errJobNotFound" />
        ) : (
          <p>{t("loading")}</p>
        )}
      </section>
    );
  }
  const { job, history } = loaded.data;
  const p = job.properties;
  return (
    <article className="job-page">
      {back}
      <div className="page-head">
        <h1>
          {job.name} <StateBadge state={p.state} kind="job" />
        </h1>
      </div>
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      <dl className="facts" aria-label={t("jobFacts")}>
        <div>
          <dt>{t("colType")}</dt>
          <dd>{t(p.jobType === "Export" ? "type_Export" : "type_Import")}</dd>
        </div>
        <div>
          <dt>{t("colLocation")}</dt>
          <dd>{job.location}</dd>
        </div>
        <div>
          <dt>{t("storageAccount")}</dt>
          <dd className="wrap">{p.storageAccountId.split("/").pop()}</dd>
        </div>
        <div>
          <dt>{t("created")}</dt>
          <dd>{i18n.date(job.systemData?.createdAt)}</dd>
        </div>
        <div>
          <dt>{t("colProgress")}</dt>
          <dd>
            <ProgressBar value={p.percentComplete} label={t("colProgress")} />
          </dd>
        </div>
        {p.estimatedCompletionTime ? (
          <div>
            <dt>{t("colEta")}</dt>
            <dd>{i18n.date(p.estimatedCompletionTime)}</dd>
          </div>
        ) : null}
      </dl>

      <Stepper job={job} history={history} />

      {!operator ? <CustomerActions job={job} onChanged={loaded.reload} /> : null}
      {operator && p.state === "Packaging" ? (
        <section>
          <h2>{t("shipBackButton")}</h2>
          <ShipBackForm jobId={job.id} jobName={job.name} onShipped={loaded.reload} />
        </section>
      ) : null}

      <div className="columns">
        {p.shippingInformation ? (
          <section>
            <h2>{t("shipToTitle")}</h2>
            <AddressBlock address={p.shippingInformation} />
          </section>
        ) : null}
        <section>
          <h2>{t("deliveryTitle")}</h2>
          <PackageFacts pkg={p.deliveryPackage} i18n={i18n} />
        </section>
        <section>
          <h2>{t("returnTitle")}</h2>
          {p.returnPackage?.trackingNumber ? (
            <PackageFacts pkg={p.returnPackage} i18n={i18n} />
          ) : (
            <p>{t("returnNotYet")}</p>
          )}
        </section>
      </div>

      <Drives job={job} />

      {p.jobType === "Export" && p.export?.blobList ? (
        <section>
          <h2>{t("exportTitle")}</h2>
          <ul>
            {[...(p.export.blobList.blobPath ?? []), ...(p.export.blobList.blobPathPrefix ?? [])].map(
              (path) => (
                <li key={path}>
                  <code>{path}</code>
                </li>
              ),
            )}
          </ul>
        </section>
      ) : null}

      <History history={history} />
    </article>
  );
}

/** When the job last entered each state, from its history (job-level rows only). */
function stepTimes(job: ArmJob, history: HistoryEntry[]): Map<string, string> {
  const times = new Map<string, string>();
  if (job.systemData?.createdAt) {
    times.set("Creating", job.systemData.createdAt);
  }
  for (const entry of history) {
    if (!entry.driveId) {
      times.set(entry.to, entry.at);
    }
  }
  return times;
}

function Stepper({ job, history }: { job: ArmJob; history: HistoryEntry[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = job.properties.state;
  const steps = jobPath(state);
  const times = stepTimes(job, history);
  const currentIndex = steps.indexOf(state);
  return (
    <section>
      <h2 id="steps-title">{t("stepsTitle")}</h2>
      <ol className="stepper" aria-labelledby="steps-title">
        {steps.map((step, index) => {
          const current = index === currentIndex;
          const at = times.get(step);
          const status = current ? "current" : at ? "done" : index < currentIndex ? "skipped" : "todo";
          return (
            <li key={step} className={`step step-${status}`} aria-current={current ? "step" : undefined}>
              <span className="step-name">{i18n.jobState(step)}</span>
              <span className="step-time">
                {at && status !== "todo"
                  ? t("stepReached", { time: i18n.date(at) })
                  : status === "skipped"
                    ? t("stepSkipped")
                    : t("stepNotReached")}
              </span>
              {current ? <span className="visually-hidden">{t("stepCurrent")}</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function AddressBlock({ address }: { address: Address }) {
  const lines = [
    address.recipientName,
    address.streetAddress1,
    address.streetAddress2,
    [address.postalCode, address.city].filter(Boolean).join(" "),
    address.stateOrProvince,
    address.countryOrRegion,
    address.phone,
    address.additionalInformation,
  ].filter(Boolean);
  return (
    <address>
      {lines.map((line, i) => (
        <span key={i}>
          {line}
          <br />
        </span>
      ))}
    </address>
  );
}

function PackageFacts({ pkg, i18n }: { pkg: ArmJob["properties"]["deliveryPackage"]; i18n: I18n }) {
  const { t } = i18n;
  if (!pkg?.trackingNumber) {
    return <p>{t("unknown")}</p>;
  }
  return (
    <dl className="facts compact">
      <div>
        <dt>{t("carrier")}</dt>
        <dd>{pkg.carrierName}</dd>
      </div>
      <div>
        <dt>{t("trackingNumber")}</dt>
        <dd>{pkg.trackingNumber}</dd>
      </div>
      {pkg.driveCount !== undefined ? (
        <div>
          <dt>{t("driveCount")}</dt>
          <dd>{i18n.number(pkg.driveCount)}</dd>
        </div>
      ) : null}
      {pkg.shipDate ? (
        <div>
          <dt>{t("shipDate")}</dt>
          <dd>{i18n.date(pkg.shipDate)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function Drives({ job }: { job: ArmJob }) {
  const i18n = useI18n();
  const { t } = i18n;
  const drives = job.properties.driveList ?? [];
  return (
    <section>
      <h2>{t("drivesTitle")}</h2>
      {drives.length === 0 ? (
        <p>{job.properties.jobType === "Export" ? t("noDrivesExport") : t("noDrives")}</p>
      ) : (
        <TableRegion label={t("drivesTitle")}>
          <table className="drives">
            <thead>
              <tr>
                <th scope="col">{t("colDrive")}</th>
                <th scope="col">{t("colState")}</th>
                <th scope="col">{t("colCopyStatus")}</th>
                <th scope="col">{t("colProgress")}</th>
                <th scope="col">{t("colBytes")}</th>
                <th scope="col">{t("colLogs")}</th>
              </tr>
            </thead>
            <tbody>
              {drives.map((drive) => (
                <tr key={drive.driveId} data-drive={drive.driveId}>
                  <th scope="row">
                    <code>{drive.driveId}</code>
                  </th>
                  <td>
                    <StateBadge state={drive.state} kind="drive" />
                  </td>
                  <td>{drive.copyStatus ?? t("unknown")}</td>
                  <td>
                    <ProgressBar
                      value={drive.percentComplete}
                      label={`${drive.driveId}: ${t("colProgress")}`}
                    />
                  </td>
                  <td className="num">{i18n.bytes(drive.bytesSucceeded)}</td>
                  <td>
                    {drive.verboseLogUri ? <a href={drive.verboseLogUri}>{t("verboseLog")}</a> : null}
                    {drive.verboseLogUri && drive.errorLogUri ? " · " : null}
                    {drive.errorLogUri ? <a href={drive.errorLogUri}>{t("errorLog")}</a> : null}
                    {!drive.verboseLogUri && !drive.errorLogUri ? t("unknown") : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}

function History({ history }: { history: HistoryEntry[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const name = (entry: HistoryEntry, state: string | undefined) =>
    state === undefined ? t("unknown") : entry.driveId ? i18n.driveState(state) : i18n.jobState(state);
  return (
    <section>
      <h2>{t("historyTitle")}</h2>
      <TableRegion label={t("historyTitle")}>
        <table className="history">
          <thead>
            <tr>
              <th scope="col">{t("colWhen")}</th>
              <th scope="col">{t("colDrive")}</th>
              <th scope="col">{t("colChange")}</th>
              <th scope="col">{t("colWho")}</th>
              <th scope="col">{t("colWhy")}</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((entry, i) => (
              <tr key={i}>
                <td>{i18n.date(entry.at)}</td>
                <td>{entry.driveId ? <code>{entry.driveId}</code> : t("jobLevel")}</td>
                <td>
                  {entry.from ? `${name(entry, entry.from)} → ` : ""}
                  {name(entry, entry.to)}
                </td>
                <td>{entry.actor}</td>
                <td>{entry.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

/** Which form field an API error's target names, if any. */
function fieldOf(error: unknown): "carrier" | "tracking" | "count" | undefined {
  const target = error instanceof ApiError ? (error.target ?? "") : "";
  if (/trackingNumber/i.test(target)) {
    return "tracking";
  }
  if (/carrierName/i.test(target)) {
    return "carrier";
  }
  if (/driveCount/i.test(target)) {
    return "count";
  }
  return undefined;
}

function CustomerActions({ job, onChanged }: { job: ArmJob; onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = job.properties;
  const shipRefusal = whyNotShip(job);
  const [carrier, setCarrier] = useState(
    p.deliveryPackage?.carrierName ?? p.returnShipping?.carrierName ?? "",
  );
  const [tracking, setTracking] = useState("");
  const [count, setCount] = useState(String(p.driveList?.length || 1));
  const [shipError, setShipError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [keys, setKeys] = useState<BitLockerKey[]>();
  const carriers = useLoad(() => api.locations(), []);
  const supported =
    carriers.data?.value.find((l) => l.name === job.location)?.properties.supportedCarriers ?? [];

  const ship = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setShipError(undefined);
    try {
      await api.patchJob(job.id, {
        state: "Shipping",
        deliveryPackage: {
          carrierName: carrier.trim(),
          trackingNumber: tracking.trim(),
          driveCount: Number(count),
        },
      });
      onChanged();
    } catch (caught) {
      setShipError(caught);
    } finally {
      setBusy(false);
    }
  };
  const field = fieldOf(shipError);
  const shipErrorText =
    shipError instanceof ApiError
      ? fieldErrorText(shipError, i18n)
      : shipError
        ? errorText(shipError, i18n)
        : undefined;
  const errorFor = (name: ReturnType<typeof fieldOf>) =>
    field === name && shipErrorText ? { error: shipErrorText } : {};

  return (
    <section className="actions">
      <h2>{t("actionsTitle")}</h2>
      <div className="action-grid">
        <div className="card">
          <h3>{t("shipTitle")}</h3>
          {shipRefusal ? (
            <Action label={t("shipButton")} refusal={shipRefusal} onConfirm={async () => {}} />
          ) : (
            <form onSubmit={ship} noValidate>
              <p className="help">{t("shipHelp")}</p>
              <Field label={t("carrier")} {...errorFor("carrier")}>
                {({ id, describedBy, invalid }) => (
                  <>
                    <input
                      id={id}
                      list={supported.length ? `${id}-carriers` : undefined}
                      value={carrier}
                      onChange={(e) => setCarrier(e.target.value)}
                      aria-describedby={describedBy}
                      aria-invalid={invalid}
                      required
                    />
                    {supported.length ? (
                      <datalist id={`${id}-carriers`}>
                        {supported.map((c) => (
                          <option key={c} value={c} />
                        ))}
                      </datalist>
                    ) : null}
                  </>
                )}
              </Field>
              <Field label={t("trackingNumber")} {...errorFor("tracking")}>
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
              <Field label={t("driveCount")} {...errorFor("count")}>
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
              {shipError && !field ? <ErrorMessage error={shipError} /> : null}
              <button type="submit" className="primary" disabled={busy}>
                {t("shipButton")}
              </button>
            </form>
          )}
        </div>
        <div className="card">
          <h3>{t("keysTitle")}</h3>
          {keys ? (
            <>
              <TableRegion label={t("keysTitle")}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("colDrive")}</th>
                      <th scope="col">{t("colKey")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {keys.map((k) => (
                      <tr key={k.driveId}>
                        <th scope="row">
                          <code>{k.driveId}</code>
                        </th>
                        <td>
                          <code>{k.bitLockerKey}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
              <button type="button" onClick={() => setKeys(undefined)}>
                {t("hideKeys")}
              </button>
            </>
          ) : (
            <Action
              label={t("revealKeys")}
              refusal={
                p.jobType === "Import" && (p.driveList?.length ?? 0) === 0
                  ? { key: "needsDrives" }
                  : undefined
              }
              confirm={t("revealConfirm")}
              onConfirm={async () => setKeys((await api.keys(job.id)).value)}
            />
          )}
        </div>
        <div className="card">
          <h3>{t("cancelJob")}</h3>
          <Action
            label={t("cancelJob")}
            refusal={whyNotCancel(job)}
            confirm={t("cancelConfirm", { name: job.name })}
            danger
            onConfirm={async () => {
              await api.patchJob(job.id, { cancelRequested: true });
              onChanged();
            }}
          />
        </div>
        <div className="card">
          <h3>{t("deleteJob")}</h3>
          <Action
            label={t("deleteJob")}
            refusal={whyNotDelete(job)}
            confirm={t("deleteConfirm", { name: job.name })}
            danger
            onConfirm={async () => {
              await api.deleteJob(job.id);
              navigate("/jobs");
            }}
          />
        </div>
      </div>
    </section>
  );
}
