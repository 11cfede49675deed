/**
 * @module The tests' event-stream reader fails when it should: its abandoned reads are silenced only so
 * that a read given up at the deadline cannot surface later; a read that breaks before it still rejects.
 */

import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";

import { openEventStream } from "./event-stream.js";

/** What each path's stream does once it has sent its first frame. */
const behaviours: Record<string, (res: ServerResponse) => void> = {
  // Says nothing more: collect waits for its deadline, then answers what it has.
  "/quiet": () => {},
  // One event, then the connection breaks mid-stream (no orderly end).
  "/broken": (res) => {
    res.write('id: 1\ndata: {"n":1}\n\n');
    setImmediate(() => res.socket?.destroy());
  },
  // One event, then an orderly end.
  "/ended": (res) => {
    res.write('id: 1\ndata: {"n":1}\n\n');
    setImmediate(() => res.end());
  },
};

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("retry: 2000\n\n");
    behaviours[req.url ?? ""]?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("openEventStream", () => {
  it("answers what came once its deadline passes, and the read it gave up on stays silent", async () => {
    const stream = await openEventStream(`${base}/quiet`, "t");
    assert.deepEqual(await stream.collect(undefined, 50), []);
  });

  it("rejects when the connection breaks before the deadline", async () => {
    const stream = await openEventStream(`${base}/broken`, "t");
    // The read's own failure (undici: "terminated", caused by the socket closing), not taken for an
    // orderly end, and not swallowed into an empty value (which would fail otherwise, reading `.done`).
    await assert.rejects(stream.collect(undefined, 5_000), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.message, "terminated");
      assert.equal(error.cause?.code, "UND_ERR_SOCKET");
      return true;
    });
  });

  it("rejects when the server ends the stream before enough came", async () => {
    const stream = await openEventStream<{ n: number }>(`${base}/ended`, "t");
    await assert.rejects(
      stream.collect((events) => events.length >= 2, 5_000),
      /ended the stream after 1 event/,
    );
  });
});
