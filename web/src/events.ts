/**
 * @module Following an event stream with the session's token. EventSource cannot send an Authorization
 * header, so this reads the text/event-stream with fetch, and reconnects with Last-Event-ID after a drop.
 */

import type { ProgressEvent, StateEvent } from "./api";
import { sessionToken } from "./session";

/** An event: a state change, or a drive's copy progress (src/wire/common.ts), by its `event:` name. */
export type StreamEvent = { type: "state"; data: StateEvent } | { type: "progress"; data: ProgressEvent };

/** Follows `path` until the returned function is called; `onEvent` gets each state change. */
export function follow(path: string, onEvent: (event: StreamEvent) => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let retryMs = 2000;

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: "text/event-stream" };
        const token = sessionToken();
        if (token) {
          headers.authorization = `Bearer ${token}`;
        }
        if (lastId) {
          headers["last-event-id"] = lastId;
        }
        const response = await fetch(path, { headers, signal: controller.signal });
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          return; // Not ours to follow: reconnecting would not change the answer.
        }
        if (!response.ok || !response.body) {
          throw new Error(`stream answered ${response.status}`);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let data = "";
            let type = "message"; // The default name of an event that names none (the SSE standard's).
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) {
                type = line.slice(6).trim();
              } else if (line.startsWith("id:")) {
                lastId = line.slice(3).trim();
              } else if (line.startsWith("data:")) {
                data += line.slice(5).trim();
              } else if (line.startsWith("retry:")) {
                retryMs = Number(line.slice(6)) || retryMs;
              }
            }
            // Other names (none today) are for other readers: skipped, as an EventSource would.
            if (data && (type === "state" || type === "progress")) {
              try {
                onEvent({ type, data: JSON.parse(data) } as StreamEvent);
              } catch {
                // A line we cannot read is skipped; the next refresh shows the truth anyway.
              }
            }
          }
        }
      } catch {
        if (controller.signal.aborted) {
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
  return () => controller.abort();
}
