/** @module The stations repository: the copy stations that have registered, and when each was last heard from. */

import type { Kysely } from "kysely";

import type { Database } from "./schema.js";

export interface Station {
  id: string;
  name: string;
  registeredAt: string;
  lastSeenAt: string;
}

export class StationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(station: Station): Promise<void> {
    await this.db
      .insertInto("stations")
      .values({
        id: station.id,
        name: station.name,
        registered_at: station.registeredAt,
        last_seen_at: station.lastSeenAt,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ name: station.name, last_seen_at: station.lastSeenAt }),
      )
      .execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable("stations").set({ last_seen_at: at }).where("id", "=", id).execute();
  }

  async list(): Promise<Station[]> {
    const rows = await this.db.selectFrom("stations").selectAll().orderBy("name").execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      registeredAt: r.registered_at,
      lastSeenAt: r.last_seen_at,
    }));
  }
}
