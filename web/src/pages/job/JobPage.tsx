/**
 * @module One job: its facts, its path through the states, the actions LIFECYCLE.md allows now (the others shown
 * disabled, with the reason), where to ship and what came back, its drives, what an export could not fit,
 * the blobs to export and its history. Live. Each card is a component of its own in this folder.
 */

import { useEffect, useState } from "react";

import { api, eventPaths, jobId, type ProgressEvent } from "../../api";
import { ShipBackForm } from "../../components/ShipBackForm";
import { ErrorMessage, StateBadge } from "../../components/ui";
import { useLiveUpdates, useLoad } from "../../hooks";
import { useI18n } from "../../i18n";
import { PATHS } from "../../paths";
import { Link } from "../../router";
import { isOperator, useSession } from "../../session-context";
import { CustomerActions } from "./CustomerActions";
import { DriveTable } from "./DriveTable";
import { ExportList } from "./ExportList";
import { extraDrives } from "./extra-drives";
import { Facts } from "./Facts";
import { History } from "./History";
import { IncompleteBlobList } from "./IncompleteBlobList";
import { withProgress } from "./live-progress";
import { Packages } from "./Packages";
import { Steps } from "./Steps";

export function JobPage(props: { subscription: string; resourceGroup: string; name: string }) {
  const { t } = useI18n();
  const { who } = useSession();
  const id = jobId(props.subscription, props.resourceGroup, props.name);
  const loaded = useLoad(async () => {
    const [job, history] = await Promise.all([api.job(id), api.history(id)]);
    return { job, history: history.value };
  }, [id]);
  // Each drive's newest progress event since the last load: the bars move by event, with no reload.
  const [progress, setProgress] = useState<ReadonlyMap<string, ProgressEvent>>(new Map());
  useEffect(() => setProgress(new Map()), [loaded.data]);
  useLiveUpdates(loaded.error ? undefined : eventPaths.job(id), loaded.reload, (event) =>
    setProgress((shown) => new Map(shown).set(event.driveId, event)),
  );
  const operator = isOperator(who);
  const back = (
    <p>
      <Link href={operator ? PATHS.queue : PATHS.jobs}>{operator ? t("navQueue") : t("backToJobs")}</Link>
    </p>
  );

  if (!loaded.data) {
    return (
      <section>
        {back}
        {loaded.error ? (
          <ErrorMessage error={loaded.error} notFound="errJobNotFound" />
        ) : (
          <p>{t("loading")}</p>
        )}
      </section>
    );
  }
  const { history } = loaded.data;
  const job = withProgress(loaded.data.job, progress);
  return (
    <article className="job-page">
      {back}
      <div className="page-head">
        <h1>
          {job.name} <StateBadge state={job.properties.state} kind="job" />
        </h1>
      </div>
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      <Facts job={job} />
      <Steps job={job} history={history} />
      {!operator ? <CustomerActions job={job} onChanged={loaded.reload} /> : null}
      {operator && job.properties.state === "Packaging" ? (
        <section>
          <h2>{t("shipBackButton")}</h2>
          <ShipBackForm jobId={job.id} jobName={job.name} location={job.location} onShipped={loaded.reload} />
        </section>
      ) : null}
      <Packages job={job} />
      <DriveTable job={job} extras={extraDrives(job, history)} />
      <IncompleteBlobList job={job} />
      <ExportList job={job} />
      <History history={history} />
    </article>
  );
}
