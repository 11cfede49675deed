/** @module Operators: the copy stations, when each was last heard from, and the drive each is copying. */

import { ErrorMessage, ProgressBar, TableRegion } from "../components/ui";
import { useI18n } from "../i18n";
import { jobPageHref } from "../paths";
import { Link } from "../router";
import { useWorkQueue } from "./operator-data";

/** A bay's state, as words (the wire's value is a key). */
const BAY_LABELS = {
  empty: "bayEmpty",
  unreadable: "bayUnreadable",
  waiting: "bayWaiting",
  copying: "bayCopying",
  done: "bayDone",
  stopped: "bayStopped",
} as const;

export function Stations() {
  const i18n = useI18n();
  const { t } = i18n;
  const queue = useWorkQueue();
  const q = queue.data;
  const now = q ? Date.parse(q.at) : 0;
  return (
    <section>
      <h1>{t("stationsTitle")}</h1>
      <p className="live">{t("live")}</p>
      <ErrorMessage error={queue.error} />
      {q && q.stations.length === 0 ? <p>{t("noStations")}</p> : null}
      {q && q.stations.length > 0 ? (
        <TableRegion label={t("stationsTitle")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colLastSeen")}</th>
                <th scope="col">{t("colCurrent")}</th>
                <th scope="col">{t("colProgress")}</th>
                <th scope="col">{t("colBays")}</th>
              </tr>
            </thead>
            <tbody>
              {q.stations.map((station) => {
                const current = q.copying.filter((c) => c.station?.id === station.id);
                return (
                  <tr key={station.id}>
                    <th scope="row">{station.name}</th>
                    <td data-label={t("colLastSeen")}>
                      {i18n.date(station.lastSeenAt)}
                      <br />
                      <small className="muted">
                        {t("ago", { time: i18n.duration(now - Date.parse(station.lastSeenAt)) })}
                      </small>
                    </td>
                    <td data-label={t("colCurrent")}>
                      {current.length === 0
                        ? t("idle")
                        : current.map((c) => (
                            <span key={c.drive.driveId}>
                              <code>{c.drive.driveId}</code> (
                              <Link href={jobPageHref(c.job)}>{c.job.name}</Link>)
                            </span>
                          ))}
                    </td>
                    <td data-label={t("colProgress")}>
                      {current[0] ? (
                        <ProgressBar
                          value={current[0].drive.percentComplete}
                          label={`${station.name}: ${t("colProgress")}`}
                        />
                      ) : (
                        t("unknown")
                      )}
                    </td>
                    <td data-label={t("colBays")}>
                      {station.bays && station.bays.length > 0 ? (
                        <ul className="bays">
                          {station.bays.map((bay) => (
                            <li key={bay.bay} title={bay.message}>
                              <code>{bay.bay}</code>: {t(BAY_LABELS[bay.state])}
                              {bay.driveId ? (
                                <>
                                  {" "}
                                  <code>{bay.driveId}</code>
                                </>
                              ) : null}
                              {bay.message && bay.state !== "copying" ? (
                                <>
                                  <br />
                                  <small className="muted">{bay.message}</small>
                                </>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        t("noBays")
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </section>
  );
}
