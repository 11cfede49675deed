/**
 * @module The portal's copies of the wire's names (web/src/api.ts, which may load no code from src/)
 * agree with src/wire/ids.ts: the same provider, api-version and /ops/v1 prefix, and the same job ids
 * and paths built and parsed, over a table of names a person might type.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

import {
  API_VERSION,
  API_VERSIONS,
  jobId,
  jobPath,
  jobsPath,
  OPS_PREFIX,
  parseJobId,
  PROVIDER,
  subscriptionEventsPath,
} from "../../src/wire/ids.js";
import { ROOT } from "../support/db.js";

interface PortalIds {
  API_VERSION: string;
  PROVIDER: string;
  OPS_PREFIX: string;
  jobId(subscription: string, resourceGroup: string, name: string): string;
  parseJobId(id: string): { subscription: string; resourceGroup: string; name: string } | undefined;
  jobsPath(subscription: string, resourceGroup?: string): string;
  subscriptionEventsPath(subscription: string): string;
}

// Loaded by path: the type checker of this (Node) project does not follow it into the browser's code.
const web = (await import(pathToFileURL(join(ROOT, "web/src/api.ts")).href)) as PortalIds;

const SUB = "6f1d2a3b-0000-4000-8000-000000000001";
const ADDRESSES: [string, string, string][] = [
  [SUB, "rg1", "job1"],
  [SUB.toUpperCase(), "My-Group_(1).x", "import-2026-01"],
  [SUB, "rg with spaces", "a/b"],
  [SUB, "rg?x=1", "name#frag"],
  [SUB, "gruppe-ü", "jöb"],
  [SUB, "rg", "%2e%2e"],
];

const IDS = [
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1`,
  `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/RG1/PROVIDERS/microsoft.importexport/JOBS/Job1`,
  `  /subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1 `,
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1/`,
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/jobs/job1`,
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs`,
  `/subscriptions/${SUB}/resourceGroups/rg1/providers/MicrosoftXImportExport/jobs/job1`,
  `/subscriptions/${SUB}/resourceGroups/a%2Fb/providers/Microsoft.ImportExport/jobs/j%20k`,
  `subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1`,
  "",
];

describe("the portal's names and paths are the wire's", () => {
  it("provider, api-version and the operator API's prefix", () => {
    assert.deepEqual([web.PROVIDER, web.API_VERSION, web.OPS_PREFIX], [PROVIDER, API_VERSION, OPS_PREFIX]);
    assert.ok((API_VERSIONS as readonly string[]).includes(web.API_VERSION));
  });

  it("a job's id and path, its subscription's and resource group's lists, its subscription's events", () => {
    for (const [subscriptionId, resourceGroup, name] of ADDRESSES) {
      const where = JSON.stringify([subscriptionId, resourceGroup, name]);
      // The portal's jobId is a path too (each part escaped): the wire's jobPath.
      assert.equal(
        web.jobId(subscriptionId, resourceGroup, name),
        jobPath({ subscriptionId, resourceGroup, name }),
        where,
      );
      assert.equal(
        web.jobsPath(subscriptionId, resourceGroup),
        jobsPath(subscriptionId, resourceGroup),
        where,
      );
      assert.equal(web.jobsPath(subscriptionId), jobsPath(subscriptionId), where);
      assert.equal(web.subscriptionEventsPath(subscriptionId), subscriptionEventsPath(subscriptionId), where);
    }
  });

  it("a job's id parsed, or refused, alike", () => {
    for (const id of IDS) {
      const wire = parseJobId(id);
      const portal = web.parseJobId(id);
      assert.deepEqual(
        portal && {
          subscriptionId: portal.subscription,
          resourceGroup: portal.resourceGroup,
          name: portal.name,
        },
        wire,
        JSON.stringify(id),
      );
    }
    // And what one builds, the other reads back.
    for (const [subscriptionId, resourceGroup, name] of ADDRESSES.filter((a) => !a.join("").includes("/"))) {
      const id = jobId({ subscriptionId, resourceGroup, name });
      assert.deepEqual(web.parseJobId(id), { subscription: subscriptionId, resourceGroup, name }, id);
    }
  });
});
