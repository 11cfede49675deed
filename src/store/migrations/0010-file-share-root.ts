/**
 * @module Migration 0010: where a storage account's file shares are mounted on the stations, so an import
 * of files lands in the account's own shares (Azure Files or a NAS over SMB/NFS), not a station's folder.
 */

import type { Kysely, Migration } from "kysely";

export function fileShareRoot(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Null on every account before: the station's own file share folder, as until now.
      await db.schema.alterTable("storage_accounts").addColumn("file_share_root", "text").execute();
    },
  };
}
