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
// And for export, on the same two shapes uploaded once (untimed) into the same Azurite:
//   (f) the station's export data path (exportDrive: download, encrypt, write the drive format, flush,
//       journal in SQLite) onto a blank drive folder, against the raw @azure/storage-blob download to
//       plain files and `rclone copy` from Azurite, both followed by `sync -f` (the drive is flushed too);
//   (g) `sneakernet drive extract` of that drive against `cp -r` of the same plaintext (then `sync -f`);
//   (h) the export worker's peak RSS.
// Every measurement runs in a fresh child process (bench/copy-worker.ts, or the CLI, cp, rclone).
// Figures are printed, aims judged PASS/MISS; nothing here ever fails on a figure.
//
//   BENCH_LARGE_FILES=4 BENCH_LARGE_MIB=256 BENCH_SMALL_FILES=10000 BENCH_SMALL_KIB=64 BENCH_ROUNDS=1 npm run bench:copy
//   BENCH_ONLY=import|export npm run bench:copy   (one half; both when unset)

import { spawn, spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
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
import { generateRecoveryPassword } from "../src/transfer/drive/index.js";
import { ROOT } from "../test/support/db.js";
import { positiveInt } from "./settings.js";

// ---------------------------------------------------------------------------------------------------
// Settings

const LARGE_FILES = positiveInt("BENCH_LARGE_FILES", 4);
const LARGE_MIB = positiveInt("BENCH_LARGE_MIB", 256);
const SMALL_FILES = positiveInt("BENCH_SMALL_FILES", 10_000);
const SMALL_KIB = positiveInt("BENCH_SMALL_KIB", 64);
const ROUNDS = positiveInt("BENCH_ROUNDS", 1);
const ONLY = process.env.BENCH_ONLY?.trim() ?? "";
if (ONLY !== "" && ONLY !== "import" && ONLY !== "export") {
  throw new Error(`BENCH_ONLY must be 'import' or 'export' (or unset for both), not '${ONLY}'.`);
}
const IMPORT = ONLY !== "export";
const EXPORT = ONLY !== "import";
const WORK = join(ROOT, ".tmp", "bench", "copy");
const CLI = join(ROOT, "dist", "cli", "main.js");
// Built to JavaScript first, as the station runs: under tsx a process carries ~45 MiB more.
const WORKER = join(ROOT, ".tmp", "bench", "worker", "bench", "copy-worker.js");
const MIB = 1024 * 1024;
const CP = "cp -r + sync";
const EXPORT_TOOLS = {
  station: "station export",
  sdk: "raw SDK download + sync",
  rclone: "rclone copy (download) + sync",
  extract: "drive extract",
  cp: "cp -r + sync (extract)",
};

const AIM = {
  large: 0.95,
  smallSdk: 0.9,
  smallRclone: 3,
  nullTarget: 0.8,
  prepare: 0.7,
  rssMiB: 256,
  export: 0.9,
  extract: 0.7,
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
  if (IMPORT) {
    await prepareAgainstCp(rows, shapes);
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
  const blob: BlobBench = { endpoint, sas, service, rcloneMissing };
  if (IMPORT) {
    log("\nImport: into Azurite, each copy into its own container.");
    await importRounds(rows, shapes, blob);
  }
  if (EXPORT) {
    log("\nExport: out of Azurite onto a blank drive folder, then extracted.");
    await exportRounds(rows, shapes, blob);
  }
  await azurite.stop();
  azurite = undefined;

  log(`\n${table(rows)}`);
  log(`\n${aims(rows, shapes, rcloneMissing)}`);
  log(`\nWhole bench: ${secondsSince(started).toFixed(0)} s.`);
}

interface BlobBench {
  endpoint: string;
  sas: string;
  service: BlobServiceClient;
  rcloneMissing: string | undefined;
}

const blobEnvOf = (blob: BlobBench) => ({ BENCH_BLOB_ENDPOINT: blob.endpoint, BENCH_SAS: blob.sas });
const rcloneEnv = (blob: BlobBench) => ({
  ...process.env,
  RCLONE_CONFIG_BENCH_TYPE: "azureblob",
  RCLONE_CONFIG_BENCH_SAS_URL: `${blob.endpoint}?${blob.sas}`,
});

async function countBlobs(blob: BlobBench, container: string): Promise<number> {
  let n = 0;
  for await (const _ of blob.service.getContainerClient(container).listBlobsFlat()) {
    n += 1;
  }
  return n;
}

// Azurite's requests cost more the more blobs it holds (a first run of this bench measured each copy
// after the others' blobs, and the later ones lost): each copy's container is deleted once measured,
// so every copy starts from the same Azurite.
async function emptied(blob: BlobBench, container: string): Promise<void> {
  await blob.service.getContainerClient(container).deleteIfExists();
}

async function prepareAgainstCp(rows: Row[], shapes: Shape[]): Promise<void> {
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
}

async function importRounds(rows: Row[], shapes: Shape[], blob: BlobBench): Promise<void> {
  const { rcloneMissing } = blob;
  const blobEnv = blobEnvOf(blob);
  const count = (container: string) => countBlobs(blob, container);
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const shape of shapes) {
      const key = (JSON.parse(readFileSync(shape.journal, "utf8")) as { drives: { bitLockerKey: string }[] })
        .drives[0]!.bitLockerKey;
      // (a)/(b): the raw SDK, the station, rclone; each into its own container.
      const sdkContainer = `sdk-${shape.name}-${round}`;
      const sdk = await worker("sdk", shape.source, undefined, { ...blobEnv, BENCH_CONTAINER: sdkContainer });
      sdk.failed = shape.files - (await count(sdkContainer));
      measured(rows, { shape, tool: "raw SDK", figures: sdk });
      await emptied(blob, sdkContainer);

      const station = await worker("station", shape.drive, join(WORK, `state-${shape.name}-${round}`), {
        ...blobEnv,
        BENCH_KEY: key,
      });
      measured(rows, { shape, tool: "station", figures: station });
      // The drive names its own container: the next round copies into it again, empty.
      await emptied(blob, `station-${shape.name}`);

      if (rcloneMissing) {
        measured(rows, { shape, tool: "rclone copy", skipped: rcloneMissing });
      } else {
        const container = `rclone-${shape.name}-${round}`;
        const rclone = await timed(
          "rclone",
          ["copy", shape.source, `bench:${container}`, "--config", join(WORK, "rclone.conf")],
          rcloneEnv(blob),
        );
        const failed = shape.files - (await count(container));
        measured(rows, {
          shape,
          tool: "rclone copy",
          figures: { seconds: rclone.seconds, bytes: shape.bytes, files: shape.files, failed },
        });
        await emptied(blob, container);
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
}

/**
 * (f)–(h): each shape uploaded once into its own container (the raw SDK, untimed), then downloaded three
 * ways onto fresh folders, and the station's drive extracted against `cp -r`. The source container is
 * the only one Azurite holds while a shape is measured, and it is deleted after the shape's rounds.
 */
async function exportRounds(rows: Row[], shapes: Shape[], blob: BlobBench): Promise<void> {
  const blobEnv = blobEnvOf(blob);
  // A real key, as the service generates one per export drive; the bench's own, thrown away at the end.
  const key = generateRecoveryPassword();
  for (const shape of shapes) {
    const container = `export-${shape.name}`;
    const t = performance.now();
    const upload = await worker("sdk", shape.source, undefined, { ...blobEnv, BENCH_CONTAINER: container });
    const held = await countBlobs(blob, container);
    log(
      `  ${shape.label}: uploaded into '${container}' in ${secondsSince(t).toFixed(1)} s (${upload.seconds.toFixed(1)} s uploading; not timed), ${held} blobs.`,
    );
    for (let round = 1; round <= ROUNDS; round += 1) {
      const drive = join(WORK, `export-drive-${shape.name}-${round}`);
      await timed("sync", []);
      const station = await worker("export", drive, join(WORK, `export-state-${shape.name}-${round}`), {
        ...blobEnv,
        BENCH_CONTAINER: container,
        BENCH_KEY: key,
      });
      measured(rows, { shape, tool: EXPORT_TOOLS.station, figures: station });

      const sdkDir = join(WORK, `export-sdk-${shape.name}`);
      await timed("sync", []);
      const sdk = await worker("download", sdkDir, undefined, { ...blobEnv, BENCH_CONTAINER: container });
      measured(rows, { shape, tool: EXPORT_TOOLS.sdk, figures: sdk });
      rmSync(sdkDir, { recursive: true, force: true });

      if (blob.rcloneMissing) {
        measured(rows, { shape, tool: EXPORT_TOOLS.rclone, skipped: blob.rcloneMissing });
      } else {
        const rcloneDir = join(WORK, `export-rclone-${shape.name}`);
        await timed("sync", []);
        const rclone = await timed(
          "sh",
          [
            "-c",
            'rclone copy "$0" "$1" --config "$2" && sync -f "$1"',
            `bench:${container}`,
            rcloneDir,
            join(WORK, "rclone.conf"),
          ],
          rcloneEnv(blob),
        );
        const failed = shape.files - filesIn(rcloneDir);
        measured(rows, {
          shape,
          tool: EXPORT_TOOLS.rclone,
          figures: { seconds: rclone.seconds, bytes: shape.bytes, files: shape.files, failed },
        });
        rmSync(rcloneDir, { recursive: true, force: true });
      }

      // (g) the customer's side: the CLI as shipped (dist/), its startup and key derivation included.
      const out = join(WORK, `extract-${shape.name}`);
      await timed("sync", []);
      const extract = await timed(process.execPath, [
        CLI,
        "drive",
        "extract",
        drive,
        "--to",
        out,
        "--key",
        key,
      ]);
      const extracted = filesIn(out, STATE_FILE_NAME);
      measured(rows, {
        shape,
        tool: EXPORT_TOOLS.extract,
        figures: {
          seconds: extract.seconds,
          bytes: shape.bytes,
          files: shape.files,
          failed: shape.files - extracted,
        },
      });
      rmSync(out, { recursive: true, force: true });
      rmSync(drive, { recursive: true, force: true });
      const copy = join(WORK, `cp-extract-${shape.name}`);
      await timed("sync", []);
      const cp = await timed("sh", ["-c", 'cp -r "$0" "$1" && sync -f "$1"', shape.source, copy]);
      measured(rows, {
        shape,
        tool: EXPORT_TOOLS.cp,
        figures: { seconds: cp.seconds, bytes: shape.bytes, files: shape.files, failed: 0 },
      });
      rmSync(copy, { recursive: true, force: true });
    }
    await emptied(blob, container);
  }
}

const STATE_FILE_NAME = ".sneakernet-extract.json";

/** Regular files under `dir`, all of them but those named `except`. */
function filesIn(dir: string, except?: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name !== except) {
      n += 1;
    }
  }
  return n;
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

  const betterOf = (shape: ShapeName, sdkTool: string, rcloneTool: string) => {
    const sdk = get(shape, sdkTool);
    const rclone = get(shape, rcloneTool);
    const better = [sdk, rclone]
      .filter((f): f is Figures => f !== undefined)
      .sort((a, b) => a.seconds - b.seconds)[0];
    const name = better === sdk ? "the raw SDK (the better baseline)" : "rclone (the better baseline)";
    return { better, name };
  };
  const peakOf = (tools: string[]) => {
    const peaks = rows.filter((r) => tools.includes(r.tool) && r.figures?.maxRssMiB !== undefined);
    return peaks.length === 0 ? undefined : Math.max(...peaks.map((r) => r.figures!.maxRssMiB!));
  };
  const rssLine = (label: string, peak: number | undefined) => {
    if (peak !== undefined) {
      lines.push(
        `  ${label.padEnd(44)} ${peak.toFixed(0)} MiB  aim ≤ ${AIM.rssMiB} MiB  ${verdict(peak <= AIM.rssMiB)}`,
      );
    }
  };
  if (IMPORT) {
    const large = get("large", "station");
    const { better, name: betterName } = betterOf("large", "raw SDK", "rclone copy");
    ratioLine(`(a) ${shapes[0]!.label}: station`, large, better, AIM.large, betterName);
    const small = get("small", "station");
    ratioLine(
      `(b) ${shapes[1]!.label}: station`,
      small,
      get("small", "raw SDK"),
      AIM.smallSdk,
      "the raw SDK",
    );
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
    rssLine("(e) the station's peak RSS", peakOf(["station", "station → null"]));
  }
  if (EXPORT) {
    for (const shape of shapes) {
      const { better, name } = betterOf(shape.name, EXPORT_TOOLS.sdk, EXPORT_TOOLS.rclone);
      ratioLine(
        `(f) ${shape.label}: station export`,
        get(shape.name, EXPORT_TOOLS.station),
        better,
        AIM.export,
        name,
      );
    }
    for (const shape of shapes) {
      ratioLine(
        `(g) ${shape.label}: drive extract`,
        get(shape.name, EXPORT_TOOLS.extract),
        get(shape.name, EXPORT_TOOLS.cp),
        AIM.extract,
        "cp -r + sync",
      );
    }
    rssLine("(h) the station export's peak RSS", peakOf([EXPORT_TOOLS.station]));
  }
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
