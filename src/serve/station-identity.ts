/**
 * @module The embedded copy station's identity: one station token per data dir, made at the first start
 * and kept in `<data-dir>/station-token`, so a restarted serve is the same station and takes its leases back.
 */

import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { createToken } from "../app/create-token.js";
import { hashToken } from "../app/support/authenticate.js";
import type { AppDeps } from "../app/support/deps.js";

export const STATION_TOKEN_FILE = "station-token";

/**
 * The token in the data dir if it still signs in as a station; else a new one, written there (0600: it
 * is a credential). A token that no longer authenticates — a new database, a deleted token — is replaced.
 */
export async function embeddedStationToken(
  deps: Pick<AppDeps, "store" | "clock">,
  dataDir: string,
): Promise<string> {
  const file = join(dataDir, STATION_TOKEN_FILE);
  const kept = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => undefined,
  );
  if (kept) {
    const record = await deps.store.direct.tokens.findByHash(hashToken(kept));
    if (record?.role === "station") {
      return kept;
    }
  }
  const { token } = await createToken(deps, { role: "station", label: "embedded-station" });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  // writeFile's mode applies only to a file it creates: an older one is narrowed too.
  await chmod(file, 0o600);
  return token;
}
