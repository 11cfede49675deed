/** @module A small typed HTTP client over global fetch: JSON in and out, event streams, refusals as ApiError, no server as UnreachableError. */

import { type ServerEvent, ServerEventReader } from "./server-events.js";

/** A refusal in the service's envelope (`{"error":{"code","message","target"?}}`), or a non-JSON failure named as one. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly target?: string,
  ) {
    super(message);
  }
}

/** No answer at all: nothing listens, the name does not resolve, the connection broke or timed out. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    hint = "Is the server running? (sneakernet serve)",
  ) {
    super(`cannot reach ${endpoint} (${reason}). ${hint}`);
  }
}

export interface ClientOptions {
  endpoint: string;
  token: string;
  /** How long one request may take before the server counts as unreachable. */
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Given the answer's headers (an ETag to send back in If-Match), before its body is read. */
  onHeaders?: (headers: Headers) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class ApiClient {
  readonly endpoint: string;
  private readonly token: string;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    // Without the trailing slash, so paths (which start with one) join cleanly, also under a path prefix.
    this.endpoint = options.endpoint.replace(/\/+$/, "");
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * The URL of a path under the endpoint. An absolute URL (a nextLink) is taken as is when it points at
   * the endpoint's origin; otherwise only its path and query are kept, so the token never leaves for
   * another host and a server behind a proxy that names itself differently still works.
   */
  url(path: string, query: RequestOptions["query"] = {}): URL {
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      const link = new URL(path);
      url =
        link.origin === new URL(this.endpoint).origin
          ? link
          : new URL(this.endpoint + link.pathname + link.search);
    } else {
      url = new URL(this.endpoint + path);
    }
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        url.searchParams.set(name, value);
      }
    }
    return url;
  }

  /**
   * Reads one connection to a server-sent event stream, calling `onEvent` with each event, until the
   * server ends it, the connection breaks, or `signal` aborts: all three resolve, for the caller to
   * reconnect (with the last event's id, which the server resumes after) or not. Throws what a request
   * throws when there is no stream to read: ApiError for a refusal, UnreachableError for no answer.
   */
  async events(
    path: string,
    query: RequestOptions["query"],
    {
      lastEventId,
      onEvent,
      signal,
    }: { lastEventId?: string; onEvent: (event: ServerEvent) => void; signal: AbortSignal },
  ): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url(path, query), {
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: "text/event-stream",
          ...(lastEventId !== undefined ? { "last-event-id": lastEventId } : {}),
        },
        signal,
      });
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      throw this.unreachable(error);
    }
    if (response.status >= 400) {
      const text = await response.text().catch(() => "");
      throw refusal(response.status, text, parseJson(text, response.headers.get("content-type") ?? ""));
    }
    if (!response.body) {
      return;
    }
    const decoder = new TextDecoder();
    const reader = new ServerEventReader();
    let failed: { error: unknown } | undefined;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const event of reader.push(decoder.decode(chunk, { stream: true }))) {
          try {
            onEvent(event);
          } catch (error) {
            failed = { error };
            throw error;
          }
        }
      }
    } catch {
      // Aborted, or the connection broke mid-stream: ended, like a stream the server closed. What the
      // caller's onEvent threw is the caller's.
      if (failed) {
        throw failed.error;
      }
    }
  }

  /** Sends one request; answers the parsed JSON body (undefined when the body is empty). */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
      ...options.headers,
    };
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
    }
    let status: number;
    let contentType: string;
    let text: string;
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      contentType = response.headers.get("content-type") ?? "";
      options.onHeaders?.(response.headers);
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    const json = parseJson(text, contentType);
    if (status >= 400) {
      throw refusal(status, text, json);
    }
    if (text !== "" && json === undefined) {
      // Something answered, but not this service (a web server at the wrong port, a proxy's page).
      throw new ApiError(
        "InvalidResponse",
        `${method} ${url.pathname} answered ${status} with ${contentType || "no content type"}, not JSON: is ${this.endpoint} a Sneakernet server?`,
        status,
      );
    }
    return json as T;
  }

  private unreachable(error: unknown): Error {
    const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string } };
    if (e?.name === "TimeoutError") {
      return new UnreachableError(this.endpoint, `no answer within ${Math.round(this.timeoutMs / 1000)} s`);
    }
    // fetch fails with TypeError("fetch failed") and puts the system error (ECONNREFUSED, ENOTFOUND, a TLS code) in `cause`.
    const code = e?.cause?.code ?? e?.code;
    if (code !== undefined) {
      // A certificate the client does not trust is the usual snag with a self-signed `serve --tls-cert`.
      return /CERT|SSL|TLS/i.test(code)
        ? new UnreachableError(
            this.endpoint,
            code,
            "Trust its certificate with NODE_EXTRA_CA_CERTS=cert.pem.",
          )
        : new UnreachableError(this.endpoint, code);
    }
    if (error instanceof TypeError && e.cause !== undefined) {
      return new UnreachableError(this.endpoint, e.cause.message ?? error.message);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function parseJson(text: string, contentType: string): unknown {
  if (text === "" || !/json/i.test(contentType)) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function refusal(status: number, text: string, json: unknown): ApiError {
  const error = (json as { error?: { code?: unknown; message?: unknown; target?: unknown } } | undefined)
    ?.error;
  if (typeof error?.code === "string" && typeof error.message === "string") {
    return new ApiError(
      error.code,
      error.message,
      status,
      typeof error.target === "string" ? error.target : undefined,
    );
  }
  // Not our envelope (a proxy, a load balancer): keep the status and the start of what it said, on one line.
  const said = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return new ApiError(`Http${status}`, said === "" ? `The server answered ${status}.` : said, status);
}
