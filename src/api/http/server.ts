/**
 * @module The HTTP server: one Fastify instance with the request pipeline in order —
 * request id → authentication → body parsing → routes → ARM error envelope → one log line and metrics.
 * A request Node's parser refuses is answered in the same envelope, by the client error handler.
 * The web portal's files are served beside the API, without a token.
 */

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Logger } from "pino";

import { checkReadiness } from "../../app/check-readiness.js";
import type { AppDeps } from "../../app/support/deps.js";
import type { Principal } from "../../app/support/principal.js";
import { errors } from "../../domain/errors.js";
import { API_VERSIONS, OPS_PREFIX } from "../../wire/ids.js";
import { registerArmRoutes } from "../arm/routes.js";
import { registerOpsRoutes } from "../ops/routes.js";
import { answerClientError } from "./client-error.js";
import { armError, fromFrameworkError } from "./errors.js";
import type { Metrics } from "./metrics.js";
import { isPortalPath, registerPortal } from "./portal.js";
import { registerEventStreams } from "./sse.js";

export interface ServerOptions {
  deps: AppDeps;
  authenticate: (token: string) => Promise<Principal | undefined>;
  logger?: Logger;
  metrics?: Metrics;
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** How often event streams look for new state changes, in milliseconds (default 1000). */
  eventPollMs?: number;
  /** Where the built web portal is (default dist/web); the API runs without it. */
  portalDir?: string;
}

const SPEC_URL = new URL("../../../spec/storageimportexport.json", import.meta.url);

/** Paths served without a token: probes, metrics and the API description. */
const PUBLIC = new Set(["/healthz", "/readyz", "/metrics", "/openapi.json", `${OPS_PREFIX}/openapi.json`]);

function bearer(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

/** Our OpenAPI document: the public ARM spec, pointed at this server and its bearer tokens. */
function openApiDocument(host: string, scheme: string): unknown {
  const spec = JSON.parse(readFileSync(SPEC_URL, "utf8")) as Record<string, unknown>;
  return {
    ...spec,
    host,
    schemes: [scheme],
    securityDefinitions: {
      bearer: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        description: "Bearer <token> from `sneakernet token create`.",
      },
    },
    security: [{ bearer: [] }],
    "x-sneakernet-api-versions": API_VERSIONS,
  };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    loggerInstance: options.logger,
    // We write one line per request ourselves (onResponse), without headers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, maxParamLength: 500 },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // What Node's HTTP parser refuses never reaches a route; its answer wears the ARM envelope too.
    clientErrorHandler: (error, socket) => answerClientError(error, socket, app.log),
    // Fastify answers a URL it cannot decode, or a path segment past maxParamLength, by itself; routed
    // here, those refusals wear the ARM envelope and a request id like every other.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      reply.header("x-ms-request-id", request.id);
      const { status, body } = armError(
        error.code === "FST_ERR_MAX_PARAM_LENGTH" ? errors.pathSegmentTooLong() : errors.urlNotDecodable(),
      );
      return reply.code(status).send(body);
    },
  }) as unknown as FastifyInstance;

  // Only JSON is spoken here: without the default text/plain parser, a text body is 415, not a string
  // the schemas then refuse as a 400. Our own JSON parser: an empty body is "no body" (the SDK posts
  // listBitLockerKeys with none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.bodyNotJson(), undefined);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-ms-request-id", request.id);
    const clientId = request.headers["x-ms-client-request-id"];
    if (typeof clientId === "string" && clientId.length <= 200) {
      reply.header("x-ms-client-request-id", clientId);
    }
    // Lower-cased: the router matches paths case-insensitively, and so must this check.
    const path = (request.url.split("?")[0] ?? "").toLowerCase();
    if (PUBLIC.has(path)) {
      return;
    }
    // The portal's page and files are public; everything it shows comes from the API, with a token.
    if ((request.method === "GET" || request.method === "HEAD") && isPortalPath(path)) {
      return;
    }
    const token = bearer(request);
    if (token === undefined) {
      reply.header("www-authenticate", "Bearer");
      throw errors.authorizationMissing();
    }
    const principal = await options.authenticate(token);
    if (!principal) {
      reply.header("www-authenticate", 'Bearer error="invalid_token"');
      throw errors.tokenInvalid();
    }
    request.principal = principal;
  });

  app.setErrorHandler((error, request, reply) => {
    const known = fromFrameworkError(error);
    if (known) {
      const { status, body } = armError(known);
      return reply.code(status).send(body);
    }
    // Unforeseen: the stack goes to the log, the client gets only the request id to quote.
    request.log.error({ err: error, reqId: request.id }, "unhandled error");
    return reply.code(500).send({
      error: {
        code: "InternalServerError",
        message: `An internal error occurred. Quote request id ${request.id} when reporting it.`,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const { status, body } = armError(
      errors.noSuchOperation(request.method, request.url.split("?")[0] ?? ""),
    );
    return reply.code(status).send(body);
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    options.metrics?.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    options.metrics?.requestSeconds.observe({ method: request.method, route }, seconds);
    // One line per request; the path only (queries can be long), never headers or bodies.
    request.log.info(
      {
        method: request.method,
        path: request.url.split("?")[0]?.slice(0, 300),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        who: request.principal ? `${request.principal.role}:${request.principal.label}` : undefined,
      },
      "request",
    );
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) =>
    (await checkReadiness(options.deps))
      ? { status: "ready" }
      : reply.code(503).send({ status: "database unavailable" }),
  );
  app.get("/metrics", async (_request, reply) => {
    const registry = options.metrics?.registry;
    if (!registry) {
      return reply.code(404).send();
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  const spec = new Map<string, unknown>();
  app.get("/openapi.json", async (request) => {
    const key = `${request.protocol}://${request.host}`;
    if (!spec.has(key)) {
      spec.set(key, openApiDocument(request.host, request.protocol));
    }
    return spec.get(key);
  });

  registerPortal(app, options.portalDir);
  registerEventStreams(app);
  const pollMs = options.eventPollMs ?? 1000;
  registerArmRoutes(app, options.deps, pollMs);
  registerOpsRoutes(app, options.deps, pollMs);
  return app;
}
