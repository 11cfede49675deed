/** @module A job's card of steps: its path through the states, each with when it was reached, the current one marked. */

import type { ArmJob, HistoryEntry } from "../../api";
import { useI18n } from "../../i18n";
import { jobPath } from "../../lifecycle";

/** When the job last entered each state, from its history (job-level rows only). */
function stepTimes(job: ArmJob, history: HistoryEntry[]): Map<string, string> {
  const times = new Map<string, string>();
  if (job.systemData?.createdAt) {
    times.set("Creating", job.systemData.createdAt);
  }
  for (const entry of history) {
    if (!entry.driveId) {
      times.set(entry.to, entry.at);
    }
  }
  return times;
}

export function Steps({ job, history }: { job: ArmJob; history: HistoryEntry[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = job.properties.state;
  const steps = jobPath(state);
  const times = stepTimes(job, history);
  const currentIndex = steps.indexOf(state);
  return (
    <section>
      <h2 id="steps-title">{t("stepsTitle")}</h2>
      <ol className="stepper" aria-labelledby="steps-title">
        {steps.map((step, index) => {
          const current = index === currentIndex;
          const at = times.get(step);
          const status = current ? "current" : at ? "done" : index < currentIndex ? "skipped" : "todo";
          return (
            <li key={step} className={`step step-${status}`} aria-current={current ? "step" : undefined}>
              <span className="step-name">{i18n.jobState(step)}</span>
              <span className="step-time">
                {at && status !== "todo"
                  ? t("stepReached", { time: i18n.date(at) })
                  : status === "skipped"
                    ? t("stepSkipped")
                    : t("stepNotReached")}
              </span>
              {current ? <span className="visually-hidden">{t("stepCurrent")}</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
