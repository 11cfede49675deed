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

export async function startStreamProxy(target: string): Promise<StreamProxy> {
  const upstream = new URL(target);
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
  const server = http.createServer((request, response) => {
    const path = request.url ?? "/";
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        const stream = (answer.headers["content-type"] ?? "").startsWith("text/event-stream");
        let first = true;
        answer.on("data", (chunk: Buffer) => {
          response.write(chunk);
          if (stream && first) {
            first = false;
            tell(path);
          }
        });
        answer.on("end", () => response.end());
        answer.on("error", () => response.destroy());
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
    streamBegun: (path) =>
      begun.some((p) => path.test(p))
        ? Promise.resolve()
        : new Promise((resolve) => waiters.add({ path, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
