/**
 * @module A pass-through HTTP proxy in front of a server, for a client the test cannot see into (a CLI
 * process): it tells when the client's event stream has begun, so the test makes its change knowing the
 * stream will carry it, instead of sleeping on "it has probably connected by now".
 */

import http from "node:http";

export interface StreamProxy {
  /** Give this to the client instead of the server's URL. */
  url: string;
  /**
   * Resolves once an event stream whose path matches has begun: the server answered it and its first
   * frame (the `retry:` line, written after the stream's start is fixed) came through.
   */
  streamBegun(path: RegExp): Promise<void>;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of `target`: `relay` passes each answer on to the client. With
 * `answerHere`, a request it answers itself (true) is not forwarded: an injected fault.
 */
export async function startProxy(
  target: string,
  relay: (request: http.IncomingMessage, answer: http.IncomingMessage, response: http.ServerResponse) => void,
  answerHere?: (request: http.IncomingMessage, response: http.ServerResponse) => boolean,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = http.createServer((request, response) => {
    if (answerHere?.(request, response)) {
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on("error", () => response.destroy());
        relay(request, answer, response);
      },
    );
    forward.on("error", () => response.destroy());
    // The client went away (a watch that ended): so does its request upstream.
    response.on("close", () => forward.destroy());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether an answer is an event stream. */
export function isEventStream(answer: http.IncomingMessage): boolean {
  return (answer.headers["content-type"] ?? "").startsWith("text/event-stream");
}

export async function startStreamProxy(target: string): Promise<StreamProxy> {
  const begun: string[] = [];
  const waiters = new Set<{ path: RegExp; resolve: () => void }>();
  const tell = (path: string) => {
    begun.push(path);
    for (const waiter of waiters) {
      if (waiter.path.test(path)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };
  const proxy = await startProxy(target, (request, answer, response) => {
    const stream = isEventStream(answer);
    let first = true;
    answer.on("data", (chunk: Buffer) => {
      response.write(chunk);
      if (stream && first) {
        first = false;
        tell(request.url ?? "/");
      }
    });
    answer.on("end", () => response.end());
  });
  return {
    ...proxy,
    streamBegun: (path) =>
      begun.some((p) => path.test(p))
        ? Promise.resolve()
        : new Promise((resolve) => waiters.add({ path, resolve })),
  };
}
