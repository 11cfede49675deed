/**
 * @module A pass-through HTTP proxy that cuts every event stream after a few events, as a flaky network or
 * a proxy with a short timeout does, and records where each new connection asked to resume
 * (Last-Event-ID) and which event ids each one carried.
 */

import { isEventStream, startProxy } from "../support/stream-proxy.js";

export interface StreamCutter {
  /** Give this to the client instead of the server's URL. */
  url: string;
  /** Each event stream connection so far: the Last-Event-ID it asked with, and the ids it carried. */
  connections(): { lastEventId: string | undefined; ids: string[] }[];
  close(): Promise<void>;
}

/** Forwards everything to `target`; cuts each event stream once it has carried `events` events. */
export async function startStreamCutter(target: string, events: number): Promise<StreamCutter> {
  const connections: { lastEventId: string | undefined; ids: string[] }[] = [];
  const proxy = await startProxy(target, (request, answer, response) => {
    if (!isEventStream(answer)) {
      answer.pipe(response);
      return;
    }
    const lastEventId = request.headers["last-event-id"];
    const connection = {
      lastEventId: typeof lastEventId === "string" ? lastEventId : undefined,
      ids: [] as string[],
    };
    connections.push(connection);
    // Frame by frame, so that the cut comes right after an event, never in the middle of one.
    let buffer = "";
    let cut = false;
    answer.setEncoding("utf8");
    answer.on("data", (text: string) => {
      buffer += text;
      let end: number;
      while (!cut && (end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(frame)?.[1];
        cut = id !== undefined && /^data: /m.test(frame) && connection.ids.push(id) === events;
        // After the last event, once it is on its way, the connection drops (no end of stream).
        response.write(frame, cut ? () => response.destroy() : undefined);
      }
      if (cut) {
        answer.destroy();
      }
    });
    answer.on("end", () => response.end());
  });
  return {
    ...proxy,
    connections: () => connections.map((c) => ({ ...c, ids: [...c.ids] })),
  };
}
