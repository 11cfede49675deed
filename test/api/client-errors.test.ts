/**
 * @module Requests Node's HTTP parser refuses (sent over a raw socket, since no HTTP client will send them):
 * each is answered in the ARM envelope, with a request id, and the connection closes.
 */

import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";

import { startSqliteServer, type TestServer } from "../support/server.js";
import { withDeadline } from "../support/wait.js";

let server: TestServer;

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Writes `request` as it is and reads until the server closes the connection. */
function send(request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The server may close while the rest of a large request is still being written.
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") {
        reject(error);
      }
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", body = ""] = text.split("\r\n\r\n", 2);
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = new Map(
        lines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
      );
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
      if (status === undefined) {
        reject(new Error(`no status line in ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      resolve({ status: Number(status), headers, body });
    });
  });
  return withDeadline(answer, 5000, "the server's answer and close");
}

/** The answer is the ARM envelope with this status and code, a request id, and the connection closed. */
function assertEnvelope(answer: RawAnswer, status: number, code: string): string {
  assert.equal(answer.status, status, answer.body);
  const json = JSON.parse(answer.body) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(json), ["error"], `not the ARM envelope: ${answer.body}`);
  assert.deepEqual(Object.keys(json.error), ["code", "message"]);
  assert.equal(json.error.code, code);
  assert.match(json.error.message, /^[A-Z].*\.$/);
  assert.match(answer.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(answer.headers.get("connection"), "close");
  assert.match(answer.headers.get("x-ms-request-id") ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(Number(answer.headers.get("content-length")), Buffer.byteLength(answer.body));
  return json.error.message;
}

describe("requests the HTTP parser refuses", () => {
  before(async () => {
    server = await startSqliteServer("client-errors");
  });
  after(() => server?.close());

  it("an unknown method → 400 BadRequest in the ARM envelope", async () => {
    const message = assertEnvelope(
      await send("FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
      400,
      "BadRequest",
    );
    assert.match(message, /method/);
  });

  it("a 20 KB header → 431 RequestHeaderFieldsTooLarge", async () => {
    const answer = await send(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    assertEnvelope(answer, 431, "RequestHeaderFieldsTooLarge");
  });

  it("a 20 KB query string → 431 RequestHeaderFieldsTooLarge", async () => {
    const answer = await send(`GET /healthz?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const message = assertEnvelope(answer, 431, "RequestHeaderFieldsTooLarge");
    assert.match(message, /query string/);
  });

  it("a malformed header line → 400 BadRequest", async () => {
    const answer = await send("GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n");
    assert.match(assertEnvelope(answer, 400, "BadRequest"), /header line/);
  });

  it("both Content-Length and Transfer-Encoding → 400 BadRequest", async () => {
    const answer = await send(
      "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert.match(assertEnvelope(answer, 400, "BadRequest"), /Content-Length and Transfer-Encoding/);
  });

  it("the server still answers well-formed requests after refusing those", async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});
