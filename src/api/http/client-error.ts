/**
 * @module Requests Node's HTTP parser refuses before any route sees them (an unknown method, an oversized
 * request line or headers, a malformed header line, conflicting framing): answered in the ARM envelope.
 */

import { randomUUID } from "node:crypto";
import { maxHeaderSize, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

import type { FastifyBaseLogger } from "fastify";

import { type DomainError, errors } from "../../domain/errors.js";
import { armError } from "./errors.js";

/** What each of llhttp's refusals means, for the person who sent the request. */
const PROBLEMS: Record<string, string> = {
  HPE_INVALID_METHOD: "its method is not one HTTP knows",
  HPE_INVALID_URL: "its request target is malformed",
  HPE_INVALID_VERSION: "its HTTP version is neither 1.0 nor 1.1",
  HPE_INVALID_HEADER_TOKEN: "a header line is malformed",
  HPE_INVALID_CONTENT_LENGTH: "its Content-Length is malformed or given twice",
  HPE_UNEXPECTED_CONTENT_LENGTH: "it gives both Content-Length and Transfer-Encoding",
  HPE_INVALID_TRANSFER_ENCODING:
    "its Transfer-Encoding is not chunked, or it gives both Content-Length and Transfer-Encoding",
  HPE_INVALID_CHUNK_SIZE: "a chunk of its body is malformed",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "a chunk of its body has too long an extension",
  HPE_INVALID_CONSTANT: "it is malformed",
  HPE_LF_EXPECTED: "a line does not end in CRLF",
  HPE_CR_EXPECTED: "a line does not end in CRLF",
};

function refusalFor(code: string | undefined): DomainError {
  if (code === "HPE_HEADER_OVERFLOW") {
    return errors.requestHeadersTooLarge(maxHeaderSize);
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return errors.requestTimedOut();
  }
  return errors.requestUnparsable(PROBLEMS[code ?? ""] ?? "it could not be parsed");
}

/**
 * The server's 'clientError' listener (Fastify's clientErrorHandler): one answer in the ARM envelope, then
 * the connection closes, since what follows a request that did not parse cannot be framed.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Socket,
  log: FastifyBaseLogger,
): void {
  // A connection reset leaves no one to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) {
    return;
  }
  // As Node's own default: answer only if no response on this connection has begun, lest the status line
  // land in the middle of another answer (a pipelined request after a stream, say).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const { status, body } = armError(refusalFor(error.code));
  const text = JSON.stringify(body);
  log.debug({ reqId: requestId, parserError: error.code, status }, "request refused by the HTTP parser");
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Bad Request"}`,
      "content-type: application/json; charset=utf-8",
      `content-length: ${Buffer.byteLength(text)}`,
      `x-ms-request-id: ${requestId}`,
      "connection: close",
      "",
      text,
    ].join("\r\n"),
    () => socket.destroy(),
  );
}
