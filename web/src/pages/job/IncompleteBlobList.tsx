/**
 * @module An export job's line on what did not fit: how many blobs had no room (counted in the error log of
 * the drive that left the list), and the incomplete blob list itself, a link and a URI to copy, since it can
 * be the blobListBlobPath of a follow-up export job.
 */

import { useState } from "react";

import { api, type ArmJob } from "../../api";
import { useLoad } from "../../hooks";
import { useI18n } from "../../i18n";
import { incompleteListDrive, notFitting } from "./export-drives";

export function IncompleteBlobList({ job }: { job: ArmJob }) {
  const { t } = useI18n();
  const uri = job.properties.incompleteBlobListUri;
  const drive = incompleteListDrive(job);
  // The count is a help, not the point: while it loads, or when the log cannot be read, the line goes without it.
  const log = useLoad(
    async () => (drive?.errorLogUri ? api.driveLog(job.id, drive.driveId, "error") : undefined),
    [job.id, drive?.driveId, drive?.errorLogUri],
  );
  const [copied, setCopied] = useState(false);
  if (job.properties.jobType !== "Export" || uri === undefined) {
    return null;
  }
  const count = log.data ? notFitting(log.data) : 0;
  const line = count > 0 ? t("incompleteCount", { count }) : t("incompleteNoCount");
  const [before, after] = t("incompleteFollowUp").split("{link}");
  const copy = () => {
    navigator.clipboard.writeText(uri).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <section className="incomplete" aria-labelledby="incomplete-title" data-incomplete="">
      <h2 id="incomplete-title">{t("incompleteTitle")}</h2>
      <p>
        {line} {before}
        <a href={uri}>{t("incompleteBlobList")}</a>
        {after}
      </p>
      <div className="copy-field">
        <input
          type="text"
          readOnly
          value={uri}
          aria-label={t("incompleteUriLabel")}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="small" onClick={copy}>
          {copied ? t("copied") : t("copy")}
        </button>
      </div>
    </section>
  );
}
