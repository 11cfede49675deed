/**
 * @module Reading a disk's serial from util-linux output: a whole disk's own serial, a partition's
 * parent disk (PKNAME), a bind mount's device, and no device at all for a plain folder.
 */

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  deviceSerial,
  mountSourceDevice,
  parseLsblkPairs,
} from "../../../src/transfer/drive/device-serial.js";
import { TMP } from "../../support/db.js";

describe("device serial", () => {
  it("parses lsblk pairs: a disk's serial, a partition's parent disk, nothing", () => {
    assert.deepEqual(parseLsblkPairs('SERIAL="WD-WMATV123456" PKNAME=""'), { serial: "WD-WMATV123456" });
    assert.deepEqual(parseLsblkPairs('SERIAL="" PKNAME="sdb"'), { parent: "sdb" });
    assert.deepEqual(parseLsblkPairs('SERIAL="  " PKNAME="nvme0n1"'), { parent: "nvme0n1" });
    assert.deepEqual(parseLsblkPairs(""), {});
  });

  it("takes the device from findmnt's SOURCE: a bind mount's before its [path]; tmpfs and shares are none", () => {
    assert.equal(mountSourceDevice("/dev/sdb1\n"), "/dev/sdb1");
    assert.equal(mountSourceDevice("/dev/sda2[/home]"), "/dev/sda2");
    assert.equal(mountSourceDevice("tmpfs"), undefined);
    assert.equal(mountSourceDevice("//server/share"), undefined);
    assert.equal(mountSourceDevice(undefined), undefined);
  });

  it("is undefined for a folder that is no mount point", async () => {
    mkdirSync(TMP, { recursive: true });
    const folder = mkdtempSync(join(TMP, "serial-"));
    try {
      assert.equal(await deviceSerial(folder), undefined);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
