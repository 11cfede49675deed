/**
 * @module The serial number of the disk mounted at a folder, read with util-linux (`findmnt`, `lsblk`):
 * `drive prepare` takes it as the drive id, and a station checks a drive's header against it.
 */

import { execFile } from "node:child_process";

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Absent tools, a folder that is no mount point, a device without a serial: all mean "not known".
    execFile(command, args, { timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

/**
 * What one `lsblk --pairs --output SERIAL,PKNAME` line says: the device's serial, or the parent disk
 * (PKNAME) to ask instead, as a partition has no serial of its own. Empty values count as absent.
 */
export function parseLsblkPairs(line: string): { serial?: string; parent?: string } {
  const value = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1]?.trim() || undefined;
  const serial = value("SERIAL");
  const parent = value("PKNAME");
  return { ...(serial ? { serial } : {}), ...(parent ? { parent } : {}) };
}

/**
 * The block device `findmnt --output SOURCE` names, or undefined for a source that is none (tmpfs, a
 * network share). A bind mount or btrfs subvolume shows as `/dev/sda1[/path]`: the device is before `[`.
 */
export function mountSourceDevice(source: string | undefined): string | undefined {
  const device = source?.trim().replace(/\[.*\]$/, "");
  return device?.startsWith("/dev/") ? device : undefined;
}

/**
 * The serial of the disk whose filesystem is mounted exactly at `folder`, or undefined when `folder` is
 * not a mount point of a block device (a plain folder, a tmpfs, a network share) or the disk has none.
 */
export async function deviceSerial(folder: string): Promise<string | undefined> {
  const source = mountSourceDevice(
    await run("findmnt", ["--noheadings", "--output", "SOURCE", "--mountpoint", folder]),
  );
  if (!source) {
    return undefined;
  }
  const { serial, parent } = parseLsblkPairs(
    (await run("lsblk", ["--nodeps", "--noheadings", "--pairs", "--output", "SERIAL,PKNAME", source])) ?? "",
  );
  if (serial || !parent) {
    return serial;
  }
  const parentSerial = await run("lsblk", [
    "--nodeps",
    "--noheadings",
    "--output",
    "SERIAL",
    `/dev/${parent}`,
  ]);
  return parentSerial || undefined;
}
