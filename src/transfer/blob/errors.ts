/**
 * @module Storage refusals as one small typed error (status, service code, message), with every SAS and
 * key cut out first: SDK messages quote request URLs, and a SAS in a log is a credential in a log.
 */

export class BlobTargetError extends Error {
  override readonly name = "BlobTargetError";
  constructor(
    /** The HTTP status, or 0 when no response came (network, timeout after the retries). */
    readonly status: number,
    /** The service's error code (`Md5Mismatch`, `AuthorizationFailure`, …), or a transport code. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isBlobTargetError(error: unknown): error is BlobTargetError {
  return error instanceof BlobTargetError;
}

/** A URL's query (where a SAS lives) and any stray `sig=` is removed; the service's text is kept. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\?[^\s"'<>]*/g, "").replace(/\bsig=[^&\s"'<>]*/gi, "sig=…");
  for (const secret of secrets) {
    if (secret.length >= 8) {
      out = out.split(secret).join("…");
    }
  }
  return out;
}

/** Any error from the SDK (a RestError, a network error, an abort) as a BlobTargetError. */
export function toTargetError(error: unknown, secrets: readonly string[] = []): BlobTargetError {
  if (error instanceof BlobTargetError) {
    return error;
  }
  const raw = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    details?: { errorCode?: string };
  } | null;
  const status = typeof raw?.statusCode === "number" ? raw.statusCode : 0;
  const code = raw?.details?.errorCode ?? raw?.code ?? (status === 0 ? "RequestFailed" : `Http${status}`);
  // The service's own message comes first line; the rest (RequestId, Time) is noise in a copy log.
  const first = String(raw?.message ?? "The storage request failed.").split("\n")[0] ?? "";
  return new BlobTargetError(status, code, redact(first, secrets).slice(0, 500));
}
