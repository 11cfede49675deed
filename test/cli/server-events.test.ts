/** @module Reading an event stream as `job watch` does (src/client/server-events.ts): events and their ids, however the text arrives. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { type ServerEvent, ServerEventReader } from "../../src/client/server-events.js";

/** What the service writes: the retry hint, two moves, a keep-alive, a third move. */
const STREAM =
  "retry: 2000\n\n" +
  'id: 7\nevent: state\ndata: {"to":"Creating"}\n\n' +
  'id: 9\nevent: state\ndata: {"to":"Shipping"}\n\n' +
  ": keep-alive\n\n" +
  'id: 12\nevent: state\ndata: {"to":"Received"}\n\n';

const EVENTS: ServerEvent[] = [
  { event: "state", id: "7", data: '{"to":"Creating"}' },
  { event: "state", id: "9", data: '{"to":"Shipping"}' },
  { event: "state", id: "12", data: '{"to":"Received"}' },
];

describe("ServerEventReader", () => {
  it("the service's stream: its events with their ids; the retry hint and keep-alives are none", () => {
    assert.deepEqual(new ServerEventReader().push(STREAM), EVENTS);
  });

  it("the same events however the text is cut into pieces, one character at a time included", () => {
    for (let at = 0; at <= STREAM.length; at++) {
      const reader = new ServerEventReader();
      assert.deepEqual(
        [...reader.push(STREAM.slice(0, at)), ...reader.push(STREAM.slice(at))],
        EVENTS,
        `cut at ${at}`,
      );
    }
    const reader = new ServerEventReader();
    assert.deepEqual(
      [...STREAM].flatMap((c) => reader.push(c)),
      EVENTS,
    );
  });

  it("CRLF and CR end lines too, also a CRLF cut in two", () => {
    const crlf = STREAM.replace(/\n/g, "\r\n");
    const cut = crlf.indexOf("\r\n", 20) + 1;
    const reader = new ServerEventReader();
    assert.deepEqual([...reader.push(crlf.slice(0, cut)), ...reader.push(crlf.slice(cut))], EVENTS);
    assert.deepEqual(new ServerEventReader().push(STREAM.replace(/\n/g, "\r")), EVENTS);
  });

  it("data lines join with a line break; an unnamed event is a message; the last id stays the stream's", () => {
    assert.deepEqual(new ServerEventReader().push("id: 3\ndata:a\ndata: b\n\ndata\n\nid\ndata: c\n\n"), [
      { event: "message", id: "3", data: "a\nb" },
      { event: "message", id: "3", data: "" },
      { event: "message", id: "", data: "c" },
    ]);
  });
});
