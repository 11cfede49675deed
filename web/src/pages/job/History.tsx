/** @module A job's history card: every state change of the job and its drives, newest first, with who and why. */

import type { HistoryEntry } from "../../api";
import { TableRegion } from "../../components/ui";
import { useI18n } from "../../i18n";

export function History({ history }: { history: HistoryEntry[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const name = (entry: HistoryEntry, state: string | undefined) =>
    state === undefined ? t("unknown") : entry.driveId ? i18n.driveState(state) : i18n.jobState(state);
  return (
    <section>
      <h2>{t("historyTitle")}</h2>
      <TableRegion label={t("historyTitle")}>
        <table className="history">
          <thead>
            <tr>
              <th scope="col">{t("colWhen")}</th>
              <th scope="col">{t("colDrive")}</th>
              <th scope="col">{t("colChange")}</th>
              <th scope="col">{t("colWho")}</th>
              <th scope="col">{t("colWhy")}</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((entry, i) => (
              <tr key={i}>
                {/* The moment names the row: on a phone it titles the row's card. */}
                <th scope="row">{i18n.date(entry.at)}</th>
                <td data-label={t("colDrive")}>
                  {entry.driveId ? <code>{entry.driveId}</code> : t("jobLevel")}
                </td>
                <td data-label={t("colChange")}>
                  {entry.from ? `${name(entry, entry.from)} → ` : ""}
                  {name(entry, entry.to)}
                </td>
                <td data-label={t("colWho")}>{entry.actor}</td>
                <td data-label={t("colWhy")}>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}
