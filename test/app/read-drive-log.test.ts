/**
 * @module Where a drive log may be read from (logLocation): only a blob of the job's account endpoint and
 * diagnostics path; any other URL the database holds is refused before a credential is used.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { logLocation } from "../../src/app/read-drive-log.js";

const ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1";
const LOG = `${ENDPOINT}/waimportexport/waies/job_D1_20260115-120000-000_error.xml`;

describe("logLocation", () => {
  it("a log the station wrote: its container and blob name (decoded)", () => {
    assert.deepEqual(logLocation(LOG, ENDPOINT, "waimportexport"), {
      container: "waimportexport",
      blobName: "waies/job_D1_20260115-120000-000_error.xml",
    });
    assert.deepEqual(logLocation(`${ENDPOINT}/logs/a%20b/c.xml`, `${ENDPOINT}/`, "logs/a b"), {
      container: "logs",
      blobName: "a b/c.xml",
    });
    assert.deepEqual(
      logLocation(
        "https://acct.blob.core.windows.net/waimportexport/x.xml",
        "https://acct.blob.core.windows.net",
        "waimportexport",
      ),
      {
        container: "waimportexport",
        blobName: "x.xml",
      },
    );
  });

  it("anything else is refused", () => {
    for (const uri of [
      `${ENDPOINT}/photos/waies/x_error.xml`, // another container
      `${ENDPOINT}/waimportexport`, // the container itself
      `${ENDPOINT}/waimportexport/`, // no blob name
      `http://127.0.0.1:10001/devstoreaccount1/waimportexport/x.xml`, // another port
      `https://127.0.0.1:10000/devstoreaccount1/waimportexport/x.xml`, // another scheme
      `http://169.254.169.254/devstoreaccount1/waimportexport/x.xml`, // another host
      `http://127.0.0.1:10000/otheraccount/waimportexport/x.xml`, // another account, path-style
      `${ENDPOINT}/waimportexport/../photos/x.xml`, // out by a dot segment
      `${ENDPOINT}/waimportexport/%2e%2e/x.xml`,
      `${ENDPOINT}/waimportexport/a/%2E%2E/%2E%2E/photos/x.xml`,
      `${ENDPOINT}/waimportexport/x.xml?sv=2020&sig=abc`, // a query
      `${ENDPOINT}/waimportexport/x.xml#f`,
      `http://user:pw@127.0.0.1:10000/devstoreaccount1/waimportexport/x.xml`,
      `${ENDPOINT}/waimportexport/%E0%A4%A.xml`, // not decodable
      "file:///etc/passwd",
      "not a url",
    ]) {
      assert.equal(logLocation(uri, ENDPOINT, "waimportexport"), undefined, uri);
    }
  });
});
