/**
 * @module A job's drives card: each drive's state, copy status, progress, bytes copied and logs (each opened as
 * a table under its drive); then the extra drives that came in its package (never copied, returned with the
 * job), so the table holds every drive the return package counts. An export job's drives show their
 * capacity, the drive each waits for, and their manifest backup and incomplete blob list.
 */

import { Fragment, useState } from "react";

import type { ArmDrive, ArmJob } from "../../api";
import { ProgressBar, StateBadge, TableRegion } from "../../components/ui";
import { useI18n } from "../../i18n";
import { DriveLog, type DriveLogKind } from "./DriveLog";
import { waitingFor } from "./export-drives";
import type { ExtraDrive } from "./extra-drives";

export function DriveTable({ job, extras }: { job: ArmJob; extras: readonly ExtraDrive[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const drives = job.properties.driveList ?? [];
  const exporting = job.properties.jobType === "Export";
  const columns = exporting ? 7 : 6;
  const waits = waitingFor(job);
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
                {exporting ? <th scope="col">{t("colCapacity")}</th> : null}
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
                    <td data-label={t("colCopyStatus")}>
                      {waits.has(drive.driveId) ? (
                        <span data-waits-for={waits.get(drive.driveId)}>
                          {t("waitsForDrive", { drive: waits.get(drive.driveId)! })}
                        </span>
                      ) : (
                        (drive.copyStatus ?? t("unknown"))
                      )}
                    </td>
                    <td data-label={t("colProgress")}>
                      <ProgressBar
                        value={drive.percentComplete}
                        label={`${drive.driveId}: ${t("colProgress")}`}
                      />
                    </td>
                    <td className="num" data-label={t("colBytes")}>
                      {i18n.bytes(drive.bytesSucceeded)}
                    </td>
                    {exporting ? (
                      <td className="num" data-label={t("colCapacity")}>
                        {drive.capacityBytes === undefined ? t("unknown") : i18n.bytes(drive.capacityBytes)}
                      </td>
                    ) : null}
                    <td data-label={t("colLogs")}>
                      {drive.errorLogUri ? logButton(drive.driveId, "error") : null}
                      {drive.verboseLogUri && drive.errorLogUri ? " · " : null}
                      {drive.verboseLogUri ? logButton(drive.driveId, "verbose") : null}
                      {!drive.verboseLogUri && !drive.errorLogUri ? t("unknown") : null}
                      <DriveLinks drive={drive} />
                    </td>
                  </tr>
                  {open?.driveId === drive.driveId ? (
                    <tr className="drive-log-row" data-log-of={drive.driveId}>
                      <td colSpan={columns}>
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
                  <td data-label={t("colCopyStatus")} colSpan={columns - 2}>
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

/**
 * An export drive's manifest backup and incomplete blob list, as links (the blobs are in the job's storage
 * account: opened with the customer's own access, or copied into a follow-up job).
 */
function DriveLinks({ drive }: { drive: ArmDrive }) {
  const { t } = useI18n();
  const links = [
    drive.manifestUri ? { uri: drive.manifestUri, text: t("manifestBackup"), kind: "manifest" } : undefined,
    drive.incompleteBlobListUri
      ? { uri: drive.incompleteBlobListUri, text: t("driveIncompleteList"), kind: "incomplete" }
      : undefined,
  ].filter((link) => link !== undefined);
  if (links.length === 0) {
    return null;
  }
  return (
    <ul className="drive-links">
      {links.map((link) => (
        <li key={link.kind}>
          <a href={link.uri} data-link={link.kind} title={link.uri}>
            {link.text}
          </a>
        </li>
      ))}
    </ul>
  );
}
