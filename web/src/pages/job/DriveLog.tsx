/**
 * @module One drive's copy log as a table, opened from the drive table: the service reads the log from the
 * job's storage account (a browser cannot open the blob's link without a SAS) and answers it as rows.
 */

import { api, type DriveLog as DriveLogAnswer } from "../../api";
import { ErrorMessage, TableRegion } from "../../components/ui";
import { useLoad } from "../../hooks";
import { useI18n } from "../../i18n";

export type DriveLogKind = "error" | "verbose";

export function DriveLog(props: { jobId: string; driveId: string; kind: DriveLogKind }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useLoad(
    () => api.driveLog(props.jobId, props.driveId, props.kind),
    [props.jobId, props.driveId, props.kind],
  );
  const title = t(props.kind === "verbose" ? "logTitleVerbose" : "logTitleError", { drive: props.driveId });
  return (
    <section className="drive-log" aria-label={title} data-log={props.kind}>
      <h3>{title}</h3>
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      {!loaded.data && !loaded.error ? <p>{t("loading")}</p> : null}
      {loaded.data ? <LogTable log={loaded.data} title={title} /> : null}
    </section>
  );
}

function LogTable({ log, title }: { log: DriveLogAnswer; title: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  // An export's log names each blob's snapshot and Last-Modified: a column only when some row has one.
  const snapshots = log.blobs.some((blob) => blob.snapshot !== undefined);
  const modified = log.blobs.some((blob) => blob.lastModified !== undefined);
  return (
    <>
      <p className="help">{t("logSummary", { status: log.status, count: i18n.number(log.blobs.length) })}</p>
      {log.message !== undefined ? <p>{t("logMessage", { message: log.message })}</p> : null}
      {log.blobs.length === 0 ? (
        <p>{t("logEmpty")}</p>
      ) : (
        <TableRegion label={title}>
          <table className="drive-log-rows">
            <thead>
              <tr>
                <th scope="col">{t("colLogStatus")}</th>
                <th scope="col">{t("colBlobPath")}</th>
                {snapshots ? <th scope="col">{t("colSnapshot")}</th> : null}
                <th scope="col">{t("colFilePath")}</th>
                <th scope="col">{t("colLength")}</th>
                {modified ? <th scope="col">{t("colLastModified")}</th> : null}
                <th scope="col">{t("colDisposition")}</th>
                <th scope="col">{t("colMessage")}</th>
              </tr>
            </thead>
            <tbody>
              {log.blobs.map((blob, index) => (
                <tr key={`${index} ${blob.blobPath}`} data-status={blob.status}>
                  <td data-label={t("colLogStatus")}>{blob.status}</td>
                  <th scope="row">
                    <code>{blob.blobPath}</code>
                  </th>
                  {snapshots ? (
                    <td data-label={t("colSnapshot")}>
                      {blob.snapshot !== undefined ? <code>{blob.snapshot}</code> : null}
                    </td>
                  ) : null}
                  <td data-label={t("colFilePath")}>
                    <code>{blob.filePath}</code>
                    {blob.sourcePath !== undefined ? <div className="help">{blob.sourcePath}</div> : null}
                  </td>
                  <td className="num" data-label={t("colLength")}>
                    {i18n.bytes(blob.length)}
                  </td>
                  {modified ? (
                    <td data-label={t("colLastModified")}>
                      {blob.lastModified !== undefined ? i18n.date(blob.lastModified) : null}
                    </td>
                  ) : null}
                  <td data-label={t("colDisposition")}>
                    {blob.disposition === undefined
                      ? null
                      : blob.dispositionStatus
                        ? `${blob.disposition} → ${blob.dispositionStatus}`
                        : blob.disposition}
                  </td>
                  <td data-label={t("colMessage")}>{blob.message ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </>
  );
}
