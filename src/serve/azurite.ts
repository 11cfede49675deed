/**
 * @module The embedded blob endpoint: Azurite's blob service as a child process (its own core for the
 * bytes, in its own process group so serve stops it last), which exits by itself if serve dies without a word.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";

/** The well-known development account and key every Azure Storage emulator answers to. */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * How often Azurite writes its metadata database (LokiJS autosave in azurite 3.35): a blob committed
 * less than this before a kill -9 may be gone after the restart.
 */
export const AZURITE_SAVE_MS = 5000;

export interface AzuriteOptions {
  /** Where Azurite keeps blobs and its metadata database. */
  location: string;
  host?: string;
  /** 0: any free port (tests). */
  port: number;
  /** Accounts beyond devstoreaccount1 (name → base64 key): a second one plays a "remote" account in tests. */
  extraAccounts?: Record<string, string>;
  /** Azurite's own lines (start, stop, errors), for serve's log. */
  onLine?: (line: string) => void;
}

export interface RunningAzurite {
  /** `http://host:port`; an account's blob endpoint is this plus `/<account>`. */
  origin: string;
  port: number;
  /** Stops it (SIGTERM, then SIGKILL after a grace); resolves once the process is gone. */
  stop(): Promise<void>;
  /** Its pid, so a test can kill it alone. */
  pid: number;
}

// Azurite has no `exports` map: its entry is found by path inside the package.
const BLOB_MAIN = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");

/**
 * A child that leaves when its parent does: the IPC channel closes when serve dies (even by SIGKILL of
 * serve alone), and this preload turns that into an exit, so no orphan holds port 10000.
 */
const EXIT_WITH_PARENT = "data:text/javascript,process.on('disconnect',()=>process.exit(0))";

const LISTENING = /successfully listens on (https?:\/\/\S+)/;

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  await mkdir(options.location, { recursive: true });
  const host = options.host ?? "127.0.0.1";
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.extraAccounts && Object.keys(options.extraAccounts).length > 0) {
    // AZURITE_ACCOUNTS replaces the default account, so it is listed again first.
    const accounts = { [DEV_ACCOUNT_NAME]: DEV_ACCOUNT_KEY, ...options.extraAccounts };
    env.AZURITE_ACCOUNTS = Object.entries(accounts)
      .map(([name, key]) => `${name}:${key}`)
      .join(";");
  } else {
    delete env.AZURITE_ACCOUNTS;
  }
  const child = spawn(
    process.execPath,
    [
      "--import",
      EXIT_WITH_PARENT,
      BLOB_MAIN,
      "--blobHost",
      host,
      "--blobPort",
      String(options.port),
      "--location",
      options.location,
      "--silent",
      "--disableTelemetry",
      // @azure/storage-blob 12.30 speaks an API version newer than Azurite 3.35 knows.
      "--skipApiVersionCheck",
      "--loose",
    ],
    // Its own process group: a Ctrl-C in serve's terminal reaches serve alone, which stops Azurite last,
    // once nothing writes blobs any more (Azurite signalled twice would also crash closing a closed server).
    // Serve dying by any means still ends it: the IPC channel closes.
    { env, stdio: ["ignore", "pipe", "pipe", "ipc"], detached: true },
  );
  const origin = await listeningOrigin(child, options.onLine);
  const port = Number(new URL(origin).port);
  return {
    origin: `http://${host}:${port}`,
    port,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

function listeningOrigin(child: ChildProcess, onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    let found = false;
    const onText = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") {
          continue;
        }
        onLine?.(line.trim());
        if (!found) {
          seen.push(line.trim());
          const match = LISTENING.exec(line);
          if (match?.[1]) {
            found = true;
            resolve(match[1]);
          }
        }
      }
    };
    child.stdout?.on("data", onText);
    child.stderr?.on("data", onText);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!found) {
        const said = seen.slice(-3).join(" / ") || "nothing";
        reject(
          new Error(
            `The embedded blob endpoint (Azurite) exited (${signal ?? code}) before listening: ${said}`,
          ),
        );
      }
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const grace = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(grace);
}
