/** @module The master key that seals drive keys at rest: SNEAKERNET_MASTER_KEY, or a 0600 file in the data dir. */

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function decode(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(`${origin} must hold a 32-byte key: 64 hex characters or base64.`);
  }
  return key;
}

/** Reads the master key; on first start (no env, no file) creates the file, readable by its owner only. */
export function loadMasterKey(dataDir: string, env = process.env): Buffer {
  if (env.SNEAKERNET_MASTER_KEY) {
    return decode(env.SNEAKERNET_MASTER_KEY, "SNEAKERNET_MASTER_KEY");
  }
  const file = join(dataDir, "master.key");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // "wx": two processes starting together must not both write a different key.
    try {
      writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") {
        throw error;
      }
    }
    chmodSync(file, 0o600);
  }
  return decode(readFileSync(file, "utf8"), file);
}
