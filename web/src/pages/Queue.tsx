/** @module Operators: the work queue — waiting to copy, copying (station, progress), waiting to ship back, extra drives. */

import { useState } from "react";

import type { QueueDrive } from "../api";
import { ShipBackForm } from "../components/ShipBackForm";
import { ErrorMessage, ProgressBar, StateBadge, TableRegion } from "../components/ui";
import { useI18n } from "../i18n";
import { jobPageHref } from "../paths";
import { Link } from "../router";
import { useWorkQueue } from "./operator-data";

export function Queue() {
  const i18n = useI18n();
  const { t } = i18n;
  const queue = useWorkQueue();
  const q = queue.data;
  // Said here, not in the job's card: the card leaves the list once the job is shipped.
  const [notice, setNotice] = useState<string>();
  return (
    <section>
      <h1>{t("queueTitle")}</h1>
      <p className="live">{t("live")}</p>
      <p role="status" className={notice ? "result" : undefined}>
        {notice}
      </p>
      <ErrorMessage error={queue.error} />
      {q ? (
        <>
          <DriveTable title={t("waitingToCopy")} entries={q.waitingToCopy} />
          <DriveTable title={t("copying")} entries={q.copying} withStation />
          <section>
            <h2>
              {t("waitingToShip")} ({q.waitingToShip.length})
            </h2>
            {q.waitingToShip.length === 0 ? (
              <p>{t("none")}</p>
            ) : (
              <ul className="cards">
                {q.waitingToShip.map((job) => (
                  <li key={job.id} className="card">
                    <h3>
                      <Link href={jobPageHref(job)}>{job.name}</Link>{" "}
                      <StateBadge state={job.state} kind="job" />
                    </h3>
                    <ShipBackForm
                      jobId={job.id}
                      jobName={job.name}
                      location={job.location}
                      onShipped={() => {
                        setNotice(t("shipBackDone", { name: job.name }));
                        queue.reload();
                      }}
                    />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <DriveTable title={t("extraToReturn")} entries={q.extraDrives} />
        </>
      ) : null}
    </section>
  );
}

function DriveTable({
  title,
  entries,
  withStation,
}: {
  title: string;
  entries: QueueDrive[];
  withStation?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section>
      <h2>
        {title} ({entries.length})
      </h2>
      {entries.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <TableRegion label={title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("colDrive")}</th>
                <th scope="col">{t("colJob")}</th>
                <th scope="col">{t("colState")}</th>
                {withStation ? (
                  <>
                    <th scope="col">{t("colStation")}</th>
                    <th scope="col">{t("colProgress")}</th>
                    <th scope="col">{t("colBytes")}</th>
                    <th scope="col">{t("colLease")}</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {entries.map(({ job, drive, station }) => (
                <tr key={`${job.id}/${drive.driveId}`}>
                  <th scope="row">
                    <code>{drive.driveId}</code>
                  </th>
                  <td data-label={t("colJob")}>
                    <Link href={jobPageHref(job)}>{job.name}</Link>
                  </td>
                  <td data-label={t("colState")}>
                    <StateBadge state={drive.state} kind="drive" />
                  </td>
                  {withStation ? (
                    <>
                      <td data-label={t("colStation")}>{station?.name ?? drive.claimedBy ?? t("unknown")}</td>
                      <td data-label={t("colProgress")}>
                        <ProgressBar
                          value={drive.percentComplete}
                          label={`${drive.driveId}: ${t("colProgress")}`}
                        />
                      </td>
                      <td className="num" data-label={t("colBytes")}>
                        {i18n.bytes(drive.bytesSucceeded)}
                        {drive.bytesTotal ? ` / ${i18n.bytes(drive.bytesTotal)}` : ""}
                      </td>
                      <td data-label={t("colLease")}>{i18n.date(drive.leaseExpiresAt)}</td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
