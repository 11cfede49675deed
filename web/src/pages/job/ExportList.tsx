/** @module An export job's card of the blobs to export: its paths and prefixes. */

import type { ArmJob } from "../../api";
import { useI18n } from "../../i18n";

export function ExportList({ job }: { job: ArmJob }) {
  const { t } = useI18n();
  const blobList = job.properties.export?.blobList;
  if (job.properties.jobType !== "Export" || !blobList) {
    return null;
  }
  return (
    <section>
      <h2>{t("exportTitle")}</h2>
      <ul>
        {[...(blobList.blobPath ?? []), ...(blobList.blobPathPrefix ?? [])].map((path) => (
          <li key={path}>
            <code>{path}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
