/** @module A job's facts card: type, location, storage account, creation, progress and estimated completion. */

import type { ArmJob } from "../../api";
import { ProgressBar } from "../../components/ui";
import { useI18n } from "../../i18n";

export function Facts({ job }: { job: ArmJob }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = job.properties;
  return (
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
  );
}
