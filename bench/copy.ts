/** @module `npm run bench:copy`: the copy station's throughput and memory, each as a ratio against baselines measured in the same run. */

// What it does, in one run, on inputs it generates (random bytes, so nothing compresses):
//   (a) 4 × 256 MiB files and (b) 10,000 × 64 KiB files, each prepared onto a drive with
//       `sneakernet drive prepare`, then copied into one embedded Azurite (started as `serve` starts it)
//       by the station's data path (decrypt + verify + upload + journal), by the raw @azure/storage-blob
//       upload of the plaintext, and by `rclone copy` (Debian's package, installed if missing);
//   (c) the station into a null target (read + decrypt + verify + journal) against Node's own
//       AES-256-GCM + MD5 over the same bytes on one core;
//   (d) `drive prepare` against `cp -r` of the same bytes (then `sync`: prepare's copy is durable too);
//   (e) the station's peak RSS.
// Every measurement runs in a fresh child process (bench/copy-worker.ts, or the CLI, cp, rclone).
// Figures are printed, aims judged PASS/MISS; nothing here ever fails on a figure.
//
//   BENCH_LARGE_FILES=4 BENCH_LARGE_MIB=256 BENCH_SMALL_FILES=10000 BENCH_SMALL_KIB=64 BENCH_ROUNDS=1 npm run bench:copy

import { spawn, spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";

import {
  DEV_ACCOUNT_KEY,
  DEV_ACCOUNT_NAME,
  type RunningAzurite,
  startAzurite,
} from "../src/serve/azurite.js";
import { accountSas } from "../src/transfer/blob/sas.js";
import { ROOT } from "../test/support/db.js";
import { positiveInt } from "./settings.js";

// ---------------------------------------------------------------------------------------------------
// Settings

const LARGE_FILES = positiveInt("BENCH_LARGE_FILES", 4);
const LARGE_MIB = positiveInt("BENCH_LARGE_MIB", 256);
const SMALL_FILES = positiveInt("BENCH_SMALL_FILES", 10_000);
const SMALL_KIB = positiveInt("BENCH_SMALL_KIB", 64);
const ROUNDS = positiveInt("BENCH_ROUNDS", 1);
const WORK = join(ROOT, ".tmp", "bench", "copy");
const CLI = join(ROOT, "dist", "cli", "main.js");
// Built to JavaScript first, as the station runs: under tsx a process carries ~45 MiB more.
const WORKER = join(ROOT, ".tmp", "bench", "worker", "bench", "copy-worker.js");
const MIB = 1024 * 1024;
const CP = "cp -r + sync";

const AIM = {
  large: 0.95,
  smallSdk: 0.9,
  smallRclone: 3,
  nullTarget: 0.8,
  prepare: 0.7,
  rssMiB: 256,
};

type ShapeName = "large" | "small";

interface Shape {
  name: ShapeName;
  label: string;
  source: string;
  drive: string;
  journal: string;
  files: number;
  bytes: number;
}

interface Figures {
  seconds: number;
  bytes: number;
  files: number;
  failed: number;
  maxRssMiB?: number;
}

interface Row {
  shape: Shape;
  tool: string;
  figures?: Figures;
  skipped?: string;
}

const started = performance.now();
const log = (line: string) => console.log(line);
const secondsSince = (t: number) => (performance.now() - t) / 1000;

// ---------------------------------------------------------------------------------------------------
// Inputs

function generate(shape: ShapeName): Shape {
  const source = join(WORK, "source", shape);
  mkdirSync(source, { recursive: true });
  const chunk = Buffer.allocUnsafe(8 * MIB);
  let files = 0;
  let bytes = 0;
  if (shape === "large") {
    for (let i = 0; i < LARGE_FILES; i += 1) {
      const fd = openSync(join(source, `video-${i}.bin`), "w");
      for (let left = LARGE_MIB * MIB; left > 0; left -= chunk.length) {
        randomFillSync(chunk);
        writeSync(fd, chunk, 0, Math.min(left, chunk.length));
      }
      closeSync(fd);
      files += 1;
      bytes += LARGE_MIB * MIB;
    }
  } else {
    // A hundred files per folder, as a photo or log archive would be laid out.
    const size = SMALL_KIB * 1024;
    for (let i = 0; i < SMALL_FILES; i += 1) {
      const folder = join(source, `d${String(Math.floor(i / 100)).padStart(3, "0")}`);
      if (i % 100 === 0) {
        mkdirSync(folder, { recursive: true });
      }
      if (i % 128 === 0) {
        randomFillSync(chunk);
      }
      writeFileSync(
        join(folder, `f${String(i).padStart(5, "0")}.bin`),
        chunk.subarray((i % 128) * size, (i % 128) * size + size),
      );
      files += 1;
      bytes += size;
    }
  }
  const label =
    shape === "large"
      ? `${LARGE_FILES} × ${LARGE_MIB} MiB`
      : `${SMALL_FILES.toLocaleString("en")} × ${SMALL_KIB} KiB`;
  return {
    name: shape,
    label,
    source,
    drive: join(WORK, `drive-${shape}`),
    journal: join(WORK, `${shape}.json`),
    files,
    bytes,
  };
}

// ---------------------------------------------------------------------------------------------------
// Running things

/** Runs a command to its end; its wall time in seconds, or the reason it failed. */
function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        resolve({ seconds: secondsSince(t), stdout });
      } else {
        reject(
          new Error(
            `${command} ${args[0] ?? ""} exited ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
          ),
        );
      }
    });
  });
}

async function worker(
  mode: string,
  path: string,
  extra: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Figures> {
  const args = [WORKER, mode, path, ...(extra ? [extra] : [])];
  const { stdout } = await timed(process.execPath, args, { ...process.env, ...env });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as Figures;
}

/** rclone from Debian's package: there already, installed now, or the reason it cannot be. */
function ensureRclone(): string | undefined {
  if (spawnSync("rclone", ["version"], { stdio: "ignore" }).status === 0) {
    return undefined;
  }
  log("rclone is not installed: installing Debian's package (apt-get install rclone) …");
  const apt = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "rclone"], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    encoding: "utf8",
  });
  if (apt.status === 0 && spawnSync("rclone", ["version"], { stdio: "ignore" }).status === 0) {
    return undefined;
  }
  const why = apt.error?.message ?? apt.stderr?.trim().split("\n").at(-1) ?? `exit ${apt.status}`;
  return `rclone could not be installed (${why})`;
}

// ---------------------------------------------------------------------------------------------------
// The measurements

let azurite: RunningAzurite | undefined;

async function main(): Promise<void> {
  log(
    `Sneakernet copy bench: (a) ${LARGE_FILES} × ${LARGE_MIB} MiB and (b) ${SMALL_FILES} × ${SMALL_KIB} KiB of random bytes, ` +
      `${ROUNDS} round(s); ${cpus().length} CPU cores, ${Math.round(totalmem() / 2 ** 30)} GiB, shared with whatever else runs here.`,
  );
  log(
    "Every figure is measured in this run, into one Azurite started as `serve` starts it (blob only, on disk).",
  );
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  await timed(process.execPath, [
    join(ROOT, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    join(ROOT, "bench", "tsconfig.worker.json"),
  ]);
  const rcloneMissing = ensureRclone();

  const t = performance.now();
  const shapes = [generate("large"), generate("small")];
  log(`\nInputs generated in ${secondsSince(t).toFixed(1)} s under ${WORK}.`);

  const rows: Row[] = [];
  // (d) drive prepare against cp -r, the source warm in the page cache for both (just written). prepare
  // flushes what it writes to the disk before its journal records it, so cp is timed with a `sync` of
  // its file system after it: both copies durable. Dirty pages of earlier steps are flushed untimed.
  for (const shape of shapes) {
    const copy = join(WORK, `cp-${shape.name}`);
    await timed("sync", []);
    const cp = await timed("sh", ["-c", 'cp -r "$0" "$1" && sync -f "$1"', shape.source, copy]);
    measured(rows, {
      shape,
      tool: CP,
      figures: { seconds: cp.seconds, bytes: shape.bytes, files: shape.files, failed: 0 },
    });
    rmSync(copy, { recursive: true, force: true });
    const dataset = join(WORK, `${shape.name}.csv`);
    writeFileSync(
      dataset,
      `BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile\n${shape.source}/,station-${shape.name}/,BlockBlob,rename,,\n`,
    );
    await timed("sync", []);
    const prepare = await timed(process.execPath, [
      CLI,
      "drive",
      "prepare",
      "--dataset",
      dataset,
      "--drive",
      shape.drive,
      "--drive-id",
      `BENCH-${shape.name.toUpperCase()}`,
      "--journal",
      shape.journal,
    ]);
    measured(rows, {
      shape,
      tool: "drive prepare",
      figures: { seconds: prepare.seconds, bytes: shape.bytes, files: shape.files, failed: 0 },
    });
  }

  azurite = await startAzurite({ location: join(WORK, "azurite"), port: 0 });
  const endpoint = `${azurite.origin}/${DEV_ACCOUNT_NAME}`;
  const now = new Date();
  const { sas } = accountSas(
    endpoint,
    DEV_ACCOUNT_NAME,
    DEV_ACCOUNT_KEY,
    now,
    new Date(now.getTime() + 6 * 3600_000),
  );
  const service = new BlobServiceClient(
    endpoint,
    new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
  );
  const blobEnv = { BENCH_BLOB_ENDPOINT: endpoint, BENCH_SAS: sas };
  const count = async (container: string) => {
    let n = 0;
    for await (const _ of service.getContainerClient(container).listBlobsFlat()) {
      n += 1;
    }
    return n;
  };

  // Azurite's requests cost more the more blobs it holds (a first run of this bench measured each copy
  // after the others' blobs, and the later ones lost): each copy's container is deleted once measured,
  // so every copy starts from the same Azurite.
  const emptied = (container: string) => service.getContainerClient(container).deleteIfExists();

  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const shape of shapes) {
      const key = (JSON.parse(readFileSync(shape.journal, "utf8")) as { drives: { bitLockerKey: string }[] })
        .drives[0]!.bitLockerKey;
      // (a)/(b): the raw SDK, the station, rclone; each into its own container.
      const sdkContainer = `sdk-${shape.name}-${round}`;
      const sdk = await worker("sdk", shape.source, undefined, { ...blobEnv, BENCH_CONTAINER: sdkContainer });
      sdk.failed = shape.files - (await count(sdkContainer));
      measured(rows, { shape, tool: "raw SDK", figures: sdk });
      await emptied(sdkContainer);

      const station = await worker("station", shape.drive, join(WORK, `state-${shape.name}-${round}`), {
        ...blobEnv,
        BENCH_KEY: key,
      });
      measured(rows, { shape, tool: "station", figures: station });
      // The drive names its own container: the next round copies into it again, empty.
      await emptied(`station-${shape.name}`);

      if (rcloneMissing) {
        measured(rows, { shape, tool: "rclone copy", skipped: rcloneMissing });
      } else {
        const container = `rclone-${shape.name}-${round}`;
        const rclone = await timed(
          "rclone",
          ["copy", shape.source, `bench:${container}`, "--config", join(WORK, "rclone.conf")],
          {
            ...process.env,
            RCLONE_CONFIG_BENCH_TYPE: "azureblob",
            RCLONE_CONFIG_BENCH_SAS_URL: `${endpoint}?${sas}`,
          },
        );
        const failed = shape.files - (await count(container));
        measured(rows, {
          shape,
          tool: "rclone copy",
          figures: { seconds: rclone.seconds, bytes: shape.bytes, files: shape.files, failed },
        });
        await emptied(container);
      }

      // (c): the station into nothing, against the bare cipher and hash on one core.
      const blockSize = 4 * MIB;
      const cipher = await worker("cipher", shape.source, String(blockSize), {});
      measured(rows, { shape, tool: "AES-GCM + MD5", figures: cipher });
      const nowhere = await worker("null", shape.drive, join(WORK, `null-${shape.name}-${round}`), {
        BENCH_KEY: key,
      });
      measured(rows, { shape, tool: "station → null", figures: nowhere });
    }
  }
  await azurite.stop();
  azurite = undefined;

  log(`\n${table(rows)}`);
  log(`\n${aims(rows, shapes, rcloneMissing)}`);
  log(`\nWhole bench: ${secondsSince(started).toFixed(0)} s.`);
}

// ---------------------------------------------------------------------------------------------------
// Reporting

/** Keeps a measurement and says it at once: the whole bench takes minutes. */
function measured(rows: Row[], row: Row): void {
  rows.push(row);
  const f = row.figures;
  log(
    f
      ? `  ${row.shape.label}, ${row.tool}: ${f.seconds.toFixed(2)} s, ${(f.bytes / 1e6 / f.seconds).toFixed(1)} MB/s, ${(f.files / f.seconds).toFixed(0)} files/s`
      : `  ${row.shape.label}, ${row.tool}: skipped (${row.skipped ?? ""})`,
  );
}

/** The best (fastest) of a tool's rounds on a shape. */
function best(rows: Row[], shape: ShapeName, tool: string): Figures | undefined {
  return rows
    .filter((r) => r.shape.name === shape && r.tool === tool && r.figures)
    .map((r) => r.figures!)
    .sort((a, b) => a.seconds - b.seconds)[0];
}

function table(rows: Row[]): string {
  const header = ["shape", "tool", "seconds", "MB/s", "files/s", "peak RSS MiB", "failed"];
  const body = rows
    .filter((r, i) => rows.findIndex((o) => o.shape === r.shape && o.tool === r.tool) === i)
    .map((r) => {
      const f = best(rows, r.shape.name, r.tool);
      if (!f) {
        return [r.shape.label, r.tool, "-", "-", "-", "-", `skipped: ${r.skipped ?? ""}`];
      }
      return [
        r.shape.label,
        r.tool,
        f.seconds.toFixed(2),
        (f.bytes / 1e6 / f.seconds).toFixed(1),
        (f.files / f.seconds).toFixed(0),
        f.maxRssMiB === undefined ? "-" : f.maxRssMiB.toFixed(0),
        String(f.failed),
      ];
    });
  const numeric = new Set([2, 3, 4, 5, 6]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const note = ROUNDS > 1 ? `\n(best of ${ROUNDS} rounds)` : "";
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + note;
}

const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
/** How many times faster `a` is than `b` (throughput ratio), over the same bytes. */
const speedup = (a: Figures, b: Figures) => b.seconds / a.seconds;

function aims(rows: Row[], shapes: Shape[], rcloneMissing: string | undefined): string {
  const lines = ["Aims (ratios of throughput over the same bytes, this run):"];
  const get = (shape: ShapeName, tool: string) => best(rows, shape, tool);
  const ratioLine = (
    label: string,
    a: Figures | undefined,
    b: Figures | undefined,
    aim: number,
    against: string,
  ) => {
    if (!a || !b) {
      lines.push(
        `  ${label.padEnd(44)} skipped (${against} not measured${rcloneMissing ? `: ${rcloneMissing}` : ""})`,
      );
      return;
    }
    const r = speedup(a, b);
    const failed = a.failed > 0 ? `  !! ${a.failed} file(s) failed` : "";
    lines.push(
      `  ${label.padEnd(44)} ${r.toFixed(2)}× ${against}  aim ≥ ${aim}×  ${verdict(r >= aim && a.failed === 0)}${failed}`,
    );
  };

  const large = get("large", "station");
  const largeSdk = get("large", "raw SDK");
  const largeRclone = get("large", "rclone copy");
  const better = [largeSdk, largeRclone]
    .filter((f): f is Figures => f !== undefined)
    .sort((a, b) => a.seconds - b.seconds)[0];
  const betterName =
    better === largeSdk ? "the raw SDK (the better baseline)" : "rclone (the better baseline)";
  ratioLine(`(a) ${shapes[0]!.label}: station`, large, better, AIM.large, betterName);
  const small = get("small", "station");
  ratioLine(`(b) ${shapes[1]!.label}: station`, small, get("small", "raw SDK"), AIM.smallSdk, "the raw SDK");
  ratioLine(
    `(b) ${shapes[1]!.label}: station`,
    small,
    get("small", "rclone copy"),
    AIM.smallRclone,
    "rclone",
  );
  for (const shape of shapes) {
    ratioLine(
      `(c) ${shape.label}: station → null`,
      get(shape.name, "station → null"),
      get(shape.name, "AES-GCM + MD5"),
      AIM.nullTarget,
      "AES-256-GCM + MD5 on one core",
    );
  }
  for (const shape of shapes) {
    ratioLine(
      `(d) ${shape.label}: drive prepare`,
      get(shape.name, "drive prepare"),
      get(shape.name, CP),
      AIM.prepare,
      CP,
    );
  }
  const peaks = rows.filter((r) => r.tool.startsWith("station") && r.figures?.maxRssMiB !== undefined);
  const peak = Math.max(...peaks.map((r) => r.figures!.maxRssMiB!));
  lines.push(
    `  ${"(e) the station's peak RSS".padEnd(44)} ${peak.toFixed(0)} MiB  aim ≤ ${AIM.rssMiB} MiB  ${verdict(peak <= AIM.rssMiB)}`,
  );
  return lines.join("\n");
}

async function cleanUp(): Promise<void> {
  await azurite?.stop();
  azurite = undefined;
  rmSync(WORK, { recursive: true, force: true });
}

process.on("SIGINT", () => {
  console.error("\ninterrupted: cleaning up");
  void cleanUp().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await cleanUp();
}
