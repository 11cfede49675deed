/**
 * @module The web portal's files (Vite's build in dist/web), served from memory at `/` beside the API:
 * index.html for every portal path (the portal routes in the browser), hashed assets cached for good.
 */

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build` puts the portal: <project>/dist/web, from src/api/http or dist/api/http alike. */
export const DEFAULT_PORTAL_DIR = new URL("../../../dist/web/", import.meta.url).pathname;

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** The paths the portal answers with its page (the browser routes them); the API never uses them. */
const PAGE_ROUTES = ["/", "/signin", "/jobs", "/jobs/*", "/operator", "/operator/*"];
/** Its built files. */
const FILE_ROUTES = ["/assets/*", "/favicon.svg"];
const ROUTES = [...PAGE_ROUTES, ...FILE_ROUTES];

/** Whether a GET of this (lower-cased) path is the portal's, and so needs no token. */
export function isPortalPath(path: string): boolean {
  return ROUTES.some((route) =>
    route.endsWith("/*") ? path.startsWith(route.slice(0, -1)) : path === route,
  );
}

function asset(path: string): Asset {
  const body = readFileSync(path);
  const dot = path.lastIndexOf(".");
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    type: TYPES[path.slice(dot)] ?? "application/octet-stream",
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
  };
}

export function portalBuilt(dir: string = DEFAULT_PORTAL_DIR): boolean {
  return existsSync(join(dir, "index.html"));
}

/** Reads the build once; undefined when there is none (the API still runs). */
function loadPortal(dir: string): { index: Asset; files: Map<string, Asset> } | undefined {
  if (!portalBuilt(dir)) {
    return undefined;
  }
  const files = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    if (name !== "index.html" && name !== "assets") {
      files.set(`/${name}`.toLowerCase(), asset(join(dir, name)));
    }
  }
  if (existsSync(join(dir, "assets"))) {
    for (const name of readdirSync(join(dir, "assets"))) {
      files.set(`/assets/${name}`.toLowerCase(), asset(join(dir, "assets", name)));
    }
  }
  return { index: asset(join(dir, "index.html")), files };
}

// The page loads only its own script and styles and talks only to this server. Inline style
// attributes carry the progress bars' widths.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function send(request: FastifyRequest, reply: FastifyReply, file: Asset, cache: string) {
  reply.header("content-type", file.type);
  reply.header("cache-control", cache);
  reply.header("etag", file.etag);
  reply.header("x-content-type-options", "nosniff");
  reply.header("vary", "accept-encoding");
  if (request.headers["if-none-match"] === file.etag) {
    return reply.code(304).send();
  }
  if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
    reply.header("content-encoding", "gzip");
    return reply.send(file.gzip);
  }
  return reply.send(file.body);
}

export function registerPortal(app: FastifyInstance, dir: string = DEFAULT_PORTAL_DIR): boolean {
  const portal = loadPortal(dir);
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!portal) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The web portal is not built. Run `npm run build` (npm ci and npm start do it), then reload.");
    }
    reply.header("content-security-policy", CSP);
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    return send(request, reply, portal.index, "no-cache");
  };
  for (const route of PAGE_ROUTES) {
    app.get(route, page);
  }
  const file = async (request: FastifyRequest, reply: FastifyReply) => {
    // Keyed lower-cased, as the router matches paths case-insensitively.
    const path = (request.url.split("?")[0] ?? "").toLowerCase();
    const found = portal?.files.get(path);
    if (!found) {
      return reply.code(404).type("text/plain; charset=utf-8").send("Not found.");
    }
    // Vite names assets by their content hash: a name never changes meaning, so it can be cached for good.
    return send(
      request,
      reply,
      found,
      path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    );
  };
  for (const route of FILE_ROUTES) {
    app.get(route, file);
  }
  return portal !== undefined;
}
