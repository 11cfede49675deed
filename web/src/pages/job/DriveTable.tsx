/**
 * @module A job's drives card: each drive's state, copy status, progress, bytes copied and logs (each opened as
 * a table under its drive); then the extra drives that came in its package (never copied, returned with the
 * job), so the table holds every drive the return package counts.
 */

import { Fragment, useState } from "react";

import type { ArmJob } from "../../api";
import { ProgressBar, StateBadge, TableRegion } from "../../components/ui";
import { useI18n } from "../../i18n";
import { DriveLog, type DriveLogKind } from "./DriveLog";
import type { ExtraDrive } from "./extra-drives";

const COLUMNS = 6;

export function DriveTable({ job, extras }: { job: ArmJob; extras: readonly ExtraDrive[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const drives = job.properties.driveList ?? [];
  // One log open at a time, under its drive's row: a verbose log can be long.
  const [open, setOpen] = useState<{ driveId: string; kind: DriveLogKind }>();
  const logButton = (driveId: string, kind: DriveLogKind) => {
    const shown = open?.driveId === driveId && open.kind === kind;
    return (
      <button
        type="button"
        className="small"
        aria-expanded={shown}
        onClick={() => setOpen(shown ? undefined : { driveId, kind })}
      >
        {shown ? t("hideLog") : t(kind === "verbose" ? "verboseLog" : "errorLog")}
      </button>
    );
  };
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
                <Fragment key={drive.driveId}>
                  <tr data-drive={drive.driveId}>
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
                      {drive.errorLogUri ? logButton(drive.driveId, "error") : null}
                      {drive.verboseLogUri && drive.errorLogUri ? " · " : null}
                      {drive.verboseLogUri ? logButton(drive.driveId, "verbose") : null}
                      {!drive.verboseLogUri && !drive.errorLogUri ? t("unknown") : null}
                    </td>
                  </tr>
                  {open?.driveId === drive.driveId ? (
                    <tr className="drive-log-row" data-log-of={drive.driveId}>
                      <td colSpan={COLUMNS}>
                        <DriveLog jobId={job.id} driveId={drive.driveId} kind={open.kind} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
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
                  <td data-label={t("colCopyStatus")} colSpan={COLUMNS - 2}>
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
