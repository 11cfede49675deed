/**
 * @module The customer's actions on a job, one card each: ship, drive keys, cancel, delete. Those LIFECYCLE.md
 * does not allow now are shown disabled, with the reason.
 */

import { api, type ArmJob } from "../../api";
import { Action } from "../../components/ui";
import { useI18n } from "../../i18n";
import { type Refusal, whyNotCancel, whyNotDelete, whyNotShip } from "../../lifecycle";
import { PATHS } from "../../paths";
import { navigate } from "../../router";
import { DriveKeys } from "./DriveKeys";
import { ShipForm } from "./ShipForm";

export function CustomerActions({ job, onChanged }: { job: ArmJob; onChanged: () => void }) {
  const { t } = useI18n();
  const shipRefusal = whyNotShip(job);
  return (
    <section className="actions">
      <h2>{t("actionsTitle")}</h2>
      <div className="action-grid">
        <div className="card">
          <h3>{t("shipTitle")}</h3>
          {shipRefusal ? (
            <Action label={t("shipButton")} refusal={shipRefusal} onConfirm={async () => {}} />
          ) : (
            <ShipForm job={job} onShipped={onChanged} />
          )}
        </div>
        <div className="card">
          <h3>{t("keysTitle")}</h3>
          <DriveKeys job={job} />
        </div>
        <DangerCard
          label={t("cancelJob")}
          refusal={whyNotCancel(job)}
          confirm={t("cancelConfirm", { name: job.name })}
          onConfirm={async () => {
            await api.patchJob(job.id, { cancelRequested: true });
            onChanged();
          }}
        />
        <DangerCard
          label={t("deleteJob")}
          refusal={whyNotDelete(job)}
          confirm={t("deleteConfirm", { name: job.name })}
          onConfirm={async () => {
            await api.deleteJob(job.id);
            navigate(PATHS.jobs);
          }}
        />
      </div>
    </section>
  );
}

/** A card whose one action cannot be undone: titled by it, asked to confirm, shown as dangerous. */
function DangerCard(props: {
  label: string;
  refusal: Refusal | undefined;
  confirm: string;
  onConfirm: () => Promise<void>;
}) {
  return (
    <div className="card">
      <h3>{props.label}</h3>
      <Action {...props} danger />
    </div>
  );
}
