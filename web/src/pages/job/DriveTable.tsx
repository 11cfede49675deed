/**
 * @module A job's drives card: each drive's state, copy status, progress, bytes copied and logs; then the extra
 * drives that came in its package (never copied, returned with the job), so the table holds every drive the
 * return package counts.
 */

import type { ArmJob } from "../../api";
import { ProgressBar, StateBadge, TableRegion } from "../../components/ui";
import { useI18n } from "../../i18n";
import type { ExtraDrive } from "./extra-drives";

export function DriveTable({ job, extras }: { job: ArmJob; extras: readonly ExtraDrive[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const drives = job.properties.driveList ?? [];
  return (
    <section>
      <h2>{t("drivesTitle")}</h2>
      {drives.length === 0 && extras.length === 0 ? (
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
                  <td data-label={t("colState")}>
                    <StateBadge state={drive.state} kind="drive" />
                  </td>
                  <td data-label={t("colCopyStatus")}>{drive.copyStatus ?? t("unknown")}</td>
                  <td data-label={t("colProgress")}>
                    <ProgressBar
                      value={drive.percentComplete}
                      label={`${drive.driveId}: ${t("colProgress")}`}
                    />
                  </td>
                  <td className="num" data-label={t("colBytes")}>
                    {i18n.bytes(drive.bytesSucceeded)}
                  </td>
                  <td data-label={t("colLogs")}>
                    {drive.verboseLogUri ? <a href={drive.verboseLogUri}>{t("verboseLog")}</a> : null}
                    {drive.verboseLogUri && drive.errorLogUri ? " · " : null}
                    {drive.errorLogUri ? <a href={drive.errorLogUri}>{t("errorLog")}</a> : null}
                    {!drive.verboseLogUri && !drive.errorLogUri ? t("unknown") : null}
                  </td>
                </tr>
              ))}
              {extras.map((drive) => (
                <tr key={`extra ${drive.driveId}`} data-drive={drive.driveId} data-extra="">
                  <th scope="row">
                    <code>{drive.driveId}</code> <span className="badge badge-warn">{t("extraDrive")}</span>
                  </th>
                  <td data-label={t("colState")}>
                    <StateBadge state={drive.state} kind="drive" />
                  </td>
                  {/* Nothing to copy, so no progress, bytes or logs: one cell says why. */}
                  <td data-label={t("colCopyStatus")} colSpan={4}>
                    {t("extraNotCopied")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {extras.length > 0 ? <p className="help">{t("extraDrivesHelp")}</p> : null}
    </section>
  );
}
