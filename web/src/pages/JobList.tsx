/** @module A customer's jobs: filter by state and type, search by name, page through them, live. */

import { useEffect, useState } from "react";

import { api, eventPaths } from "../api";
import { ErrorMessage, ProgressBar, StateBadge, TableRegion } from "../components/ui";
import { useLiveUpdates, useLoad, useRefreshWhile } from "../hooks";
import { useI18n } from "../i18n";
import { JOB_STATES, JOB_TYPES } from "../lifecycle";
import { jobPageHref, PATHS } from "../paths";
import { Link } from "../router";
import { useSession } from "../session-context";

const PAGE_SIZE = 20;

/** OData string literal: a quote inside is doubled. */
const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function buildFilter(state: string, type: string, search: string): string {
  const terms: string[] = [];
  if (state) {
    terms.push(`state eq ${quoted(state)}`);
  }
  if (type) {
    terms.push(`jobType eq ${quoted(type)}`);
  }
  if (search.trim()) {
    terms.push(`contains(name,${quoted(search.trim())})`);
  }
  return terms.join(" and ");
}

export function JobList() {
  const i18n = useI18n();
  const { t } = i18n;
  const { who } = useSession();
  const [subscription, setSubscription] = useState(who.subscriptions[0] ?? "");
  const [state, setState] = useState("");
  const [type, setType] = useState("");
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  // Links of the pages after the first, in order: Back pops one. They belong to one subscription and
  // filter; another filter starts again from its first page.
  const [paging, setPaging] = useState<{ key: string; links: string[] }>({ key: "", links: [] });
  const [updatedAt, setUpdatedAt] = useState<string>();

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const filter = buildFilter(state, type, debounced);
  const key = `${subscription}|${filter}`;
  const pages = paging.key === key ? paging.links : [];
  const setPages = (next: (links: string[]) => string[]) => setPaging({ key, links: next(pages) });
  const current = pages[pages.length - 1];
  const list = useLoad(
    () => (current ? api.page(current) : api.listJobs(subscription, filter, PAGE_SIZE)),
    [subscription, filter, current],
  );
  useEffect(() => {
    if (list.data) {
      setUpdatedAt(new Date().toISOString());
    }
  }, [list.data]);
  useLiveUpdates(subscription ? eventPaths.subscription(subscription) : undefined, list.reload);

  const jobs = list.data?.value ?? [];
  useRefreshWhile(
    jobs.some((job) => job.properties.state === "Transferring"),
    list.reload,
    10_000,
  );
  const filtered = Boolean(filter);
  return (
    <section>
      <div className="page-head">
        <h1>{t("jobsTitle")}</h1>
        <Link href={PATHS.newJob} className="button primary">
          {t("navNewJob")}
        </Link>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {who.subscriptions.length > 1 ? (
          <div className="field">
            <label htmlFor="subscription">{t("subscription")}</label>
            <select id="subscription" value={subscription} onChange={(e) => setSubscription(e.target.value)}>
              {who.subscriptions.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="filter-state">{t("filterState")}</label>
          <select id="filter-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{t("allStates")}</option>
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {i18n.jobState(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-type">{t("filterType")}</label>
          <select id="filter-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t("allTypes")}</option>
            {JOB_TYPES.map((s) => (
              <option key={s} value={s}>
                {t(`type_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-name">{t("searchName")}</label>
          <input id="filter-name" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </form>
      <p className="live" aria-live="polite">
        {t("live")}{" "}
        {updatedAt ? t("updatedAt", { time: new Date(updatedAt).toLocaleTimeString(i18n.lang) }) : null}
      </p>
      <ErrorMessage error={list.error} />
      {list.data && jobs.length === 0 ? (
        <p>{filtered || pages.length ? t("noJobs") : t("noJobsYet")}</p>
      ) : null}
      {jobs.length > 0 ? (
        <TableRegion label={t("jobsTitle")}>
          <table className="jobs" aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">{t("colName")}</th>
                <th scope="col">{t("colType")}</th>
                <th scope="col">{t("colState")}</th>
                <th scope="col">{t("colLocation")}</th>
                <th scope="col">{t("colDrives")}</th>
                <th scope="col">{t("colProgress")}</th>
                <th scope="col">{t("colEta")}</th>
                <th scope="col">{t("colCreated")}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <th scope="row">
                    <Link href={jobPageHref(job)}>{job.name}</Link>
                  </th>
                  <td data-label={t("colType")}>
                    {t(job.properties.jobType === "Export" ? "type_Export" : "type_Import")}
                  </td>
                  <td data-label={t("colState")}>
                    <StateBadge state={job.properties.state} kind="job" />
                  </td>
                  <td data-label={t("colLocation")}>{job.location}</td>
                  <td className="num" data-label={t("colDrives")}>
                    {i18n.number(job.properties.driveList?.length ?? 0)}
                  </td>
                  <td data-label={t("colProgress")}>
                    <ProgressBar
                      value={job.properties.percentComplete}
                      label={`${job.name}: ${t("colProgress")}`}
                    />
                  </td>
                  <td data-label={t("colEta")}>
                    {job.properties.estimatedCompletionTime
                      ? i18n.date(job.properties.estimatedCompletionTime)
                      : t("unknown")}
                  </td>
                  <td data-label={t("colCreated")}>{i18n.date(job.systemData?.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {pages.length > 0 || list.data?.nextLink ? (
        <nav className="pager" aria-label={t("paging")}>
          <button type="button" disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))}>
            {t("previousPage")}
          </button>
          <span>{t("pageN", { n: pages.length + 1 })}</span>
          <button
            type="button"
            disabled={!list.data?.nextLink}
            onClick={() => list.data?.nextLink && setPages((p) => [...p, list.data!.nextLink!])}
          >
            {t("nextPage")}
          </button>
        </nav>
      ) : null}
    </section>
  );
}
