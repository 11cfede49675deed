/** @module Server-sent events: a stream of state changes and copy progress, resumable with Last-Event-ID, ended cleanly on shutdown. */

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { EventSource, StateEvent } from "../../app/follow-events.js";
import type { Clock } from "../../domain/clock.js";
import type { DriveProgress } from "../../domain/copy.js";
import type { ProgressEvent as ProgressEventJson, StateEvent as StateEventJson } from "../../wire/common.js";
import { jobId } from "../../wire/ids.js";

function jobOf(event: StateEvent): string | undefined {
  return event.jobName !== undefined && event.resourceGroup !== undefined
    ? jobId({ subscriptionId: event.subscriptionId, resourceGroup: event.resourceGroup, name: event.jobName })
    : undefined;
}

export function eventJson(event: StateEvent): StateEventJson {
  return {
    id: event.id,
    at: event.at,
    job: jobOf(event),
    driveId: event.driveId,
    from: event.from,
    to: event.to,
    actor: event.actor,
    reason: event.reason,
  };
}

/** A progress row as its event's data: the drive's bars, and the job's estimate as of the report. */
export function progressEventJson(event: StateEvent & { progress: DriveProgress }): ProgressEventJson {
  return {
    id: event.id,
    at: event.at,
    job: jobOf(event),
    driveId: event.driveId ?? "",
    state: event.to,
    ...event.progress,
  };
}

/** One event of the stream, in the text/event-stream form: a move is `state`, a copy's progress `progress`. */
function eventText(event: StateEvent): string {
  const [name, data] = event.progress
    ? ["progress", progressEventJson({ ...event, progress: event.progress })]
    : ["state", eventJson(event)];
  return `id: ${event.id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

const KEEP_ALIVE_MS = 15_000;

/** Open streams, so that closing the server ends them instead of waiting on them forever. */
const open = new WeakMap<FastifyInstance, Set<() => void>>();

export function registerEventStreams(app: FastifyInstance): void {
  const streams = new Set<() => void>();
  open.set(app, streams);
  app.addHook("preClose", async () => {
    for (const stop of streams) {
      stop();
    }
  });
}

export interface StreamOptions {
  /** How often the source is asked for new events. */
  pollMs: number;
  /** Tells when the stream has been quiet long enough to need a keep-alive. */
  clock: Clock;
}

/**
 * Streams `source` to the client: every event after Last-Event-ID (or from now), then new ones as they
 * are written, polled every `pollMs`. Each event's id is its history id, so a client that reconnects
 * with Last-Event-ID misses nothing. A HEAD request gets the stream's headers at once, and no stream.
 */
export function streamEvents(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  source: EventSource,
  { pollMs, clock }: StreamOptions,
): void {
  const now = () => clock.now().getTime();
  const lastId = Number(request.headers["last-event-id"]);
  let cursor = Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : source.start;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-ms-request-id": request.id,
  });
  // HEAD (Fastify serves it with the GET handler): the stream's headers, and nothing to poll for. Node
  // ignores a HEAD response's writes and sends its headers only at end(), so a stream begun for one would
  // never be seen by its client, and would poll the store until that client hung up.
  if (request.method === "HEAD") {
    raw.end();
    return;
  }
  raw.write("retry: 2000\n\n");
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const streams = open.get(app);
  const stop = () => {
    if (stopped) {
      return;
    }
    stopped = true;
    clearTimeout(timer);
    streams?.delete(stop);
    raw.end();
  };
  streams?.add(stop);
  // The response's close, not the request's: a request "closes" as soon as its (empty) body is read.
  raw.on("close", stop);
  let quietSince = now();
  const poll = async () => {
    try {
      const events = await source.next(cursor);
      for (const event of events) {
        raw.write(eventText(event));
        cursor = event.id;
      }
      if (events.length > 0) {
        quietSince = now();
      } else if (now() - quietSince > KEEP_ALIVE_MS) {
        raw.write(": keep-alive\n\n"); // Proxies close connections that say nothing for long.
        quietSince = now();
      }
    } catch (error) {
      request.log.error({ err: error }, "event stream failed");
      stop();
      return;
    }
    if (!stopped) {
      timer = setTimeout(() => void poll(), pollMs);
    }
  };
  void poll();
}
