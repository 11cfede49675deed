/** @module Operators: packages on their way (jobs in Shipping), how long each has travelled, and when its timeout falls. */

import { ErrorMessage, TableRegion } from "../components/ui";
import { useI18n } from "../i18n";
import { DELIVERY_TIMEOUT_DAYS } from "../lifecycle";
import { jobPageHref, PATHS } from "../paths";
import { Link } from "../router";
import { useWorkQueue } from "./operator-data";

export function Incoming() {
  const i18n = useI18n();
  const { t } = i18n;
  const queue = useWorkQueue();
  const now = queue.data ? Date.parse(queue.data.at) : Date.now();
  const packages = [...(queue.data?.packagesExpected ?? [])].sort((a, b) =>
    (a.deliveryTimeoutAt ?? "").localeCompare(b.deliveryTimeoutAt ?? ""),
  );
  return (
    <section>
      <h1>{t("incomingTitle")}</h1>
      <p className="help">{t("incomingHelp", { days: DELIVERY_TIMEOUT_DAYS })}</p>
      <p className="live">{t("live")}</p>
      <ErrorMessage error={queue.error} />
      {queue.data && packages.length === 0 ? <p>{t("noIncoming")}</p> : null}
      {packages.length > 0 ? (
        <TableRegion label={t("incomingTitle")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("carrier")}</th>
                <th scope="col">{t("trackingNumber")}</th>
                <th scope="col">{t("colJob")}</th>
                <th scope="col">{t("colDrives")}</th>
                <th scope="col">{t("colOnTheWay")}</th>
                <th scope="col">{t("colTimeout")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("receiveAction")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {packages.map(({ job, deliveryTimeoutAt }) => {
                const carrier = job.deliveryPackage?.carrierName ?? "";
                const tracking = job.deliveryPackage?.trackingNumber ?? "";
                const since = job.trackingRecordedAt ?? job.stateChangedAt;
                return (
                  <tr key={job.id}>
                    <td data-label={t("carrier")}>{carrier}</td>
                    <th scope="row">
                      <code>{tracking}</code>
                    </th>
                    <td data-label={t("colJob")}>
                      <Link href={jobPageHref(job)}>{job.name}</Link>
                      <br />
                      <small className="muted">
                        {t(job.type === "Export" ? "type_Export" : "type_Import")}
                      </small>
                    </td>
                    <td className="num" data-label={t("colDrives")}>
                      {job.deliveryPackage?.driveCount ?? t("unknown")}
                    </td>
                    <td data-label={t("colOnTheWay")}>
                      {since ? i18n.duration(now - Date.parse(since)) : t("unknown")}
                    </td>
                    <td data-label={t("colTimeout")}>{i18n.date(deliveryTimeoutAt)}</td>
                    <td>
                      <Link
                        className="button"
                        href={`${PATHS.receive}?${new URLSearchParams({ carrier, tracking })}`}
                        aria-label={`${t("receiveAction")} ${carrier} ${tracking}`}
                      >
                        {t("receiveAction")}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </section>
  );
}
