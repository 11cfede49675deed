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
 * The serial of the disk whose filesystem is mounted exactly at `folder`, or undefined when `folder` is
 * not a mount point of a block device (a plain folder, a tmpfs, a network share) or the disk has none.
 */
export async function deviceSerial(folder: string): Promise<string | undefined> {
  const source = await run("findmnt", ["--noheadings", "--output", "SOURCE", "--mountpoint", folder]);
  if (!source || !source.startsWith("/dev/")) {
    return undefined;
  }
  // A partition has no serial of its own: its parent disk (PKNAME) does.
  const line = await run("lsblk", [
    "--nodeps",
    "--noheadings",
    "--pairs",
    "--output",
    "SERIAL,PKNAME",
    source,
  ]);
  const serial = /SERIAL="([^"]*)"/.exec(line ?? "")?.[1];
  if (serial) {
    return serial;
  }
  const parent = /PKNAME="([^"]*)"/.exec(line ?? "")?.[1];
  if (!parent) {
    return undefined;
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
