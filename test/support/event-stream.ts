/**
 * @module Following a server-sent event stream from a test. `openEventStream` resolves once the server has
 * begun the stream (its first frame, the `retry:` line, has come), so a change the test makes after that is
 * on it; `collect` then gathers the events until enough have come or its deadline passes.
 */

export interface StreamEvent<T> {
  id: string;
  /** The frame's `event:` name ("message" when it names none, as the SSE standard has it). */
  event: string;
  data: T;
}

export interface EventStream<T> {
  /**
   * Gathers events until `enough` holds, or until `ms` have passed, and resolves with every event the
   * stream has brought (from its start); then closes the stream. Rejects only on a real failure: a broken
   * read, or a stream the server ended.
   */
  collect(enough?: (events: StreamEvent<T>[]) => boolean, ms?: number): Promise<StreamEvent<T>[]>;
  close(): void;
}

/** Opens the stream at `url` with this bearer token; rejects on a refusal or an answer that is no stream. */
export async function openEventStream<T = Record<string, unknown>>(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<EventStream<T>> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  if (response.status !== 200) {
    // Read the body only for a refusal: a stream's body never ends.
    throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  }
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/event-stream")) {
    controller.abort();
    throw new Error(`${url} answered ${type}, not an event stream`);
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent<T>[] = [];
  let buffer = "";
  let frames = 0;

  /** Reads one chunk and takes the whole frames in it; false when the server ended the stream. */
  const readMore = async (deadline?: Promise<"expired">): Promise<boolean | "expired"> => {
    const read = reader.read();
    // A read abandoned at the deadline fails later, when the stream closes, with no one waiting on it: this
    // handler keeps that from being an unhandled rejection. It is a branch of its own; `read` is not
    // changed, so a read awaited below still throws its error to the test.
    read.catch(() => {});
    const result = await (deadline ? Promise.race([read, deadline]) : read);
    if (result === "expired") {
      return "expired";
    }
    if (result.done) {
      return false;
    }
    buffer += decoder.decode(result.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      frames++;
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
      if (id !== undefined && data !== undefined) {
        events.push({ id, event, data: JSON.parse(data) as T });
      }
    }
    return true;
  };

  try {
    while (frames === 0) {
      if (!(await readMore())) {
        throw new Error(`${url}: the stream ended before its first frame`);
      }
    }
  } catch (error) {
    controller.abort();
    throw error;
  }

  return {
    async collect(enough = () => false, ms = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"expired">((resolve) => {
        timer = setTimeout(() => resolve("expired"), ms);
      });
      try {
        while (!enough(events)) {
          const more = await readMore(deadline);
          if (more === "expired") {
            break;
          }
          if (!more) {
            throw new Error(`${url}: the server ended the stream after ${events.length} event(s)`);
          }
        }
        return [...events];
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    },
    close: () => controller.abort(),
  };
}
