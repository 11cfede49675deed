/** @module The stations repository: the copy stations that have registered, and when each was last heard from. */

import type { Kysely } from "kysely";

import type { BayReport } from "../domain/station.js";
import type { Database } from "./schema.js";

export interface Station {
  id: string;
  name: string;
  registeredAt: string;
  lastSeenAt: string;
  /** What its bays held when it last said; absent until it reports them. */
  bays?: BayReport[];
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
        bays: null,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ name: station.name, last_seen_at: station.lastSeenAt }),
      )
      .execute();
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable("stations").set({ last_seen_at: at }).where("id", "=", id).execute();
  }

  /** Replaces what the station's bays hold, as a heartbeat; false when no such station is registered. */
  async reportBays(id: string, bays: readonly BayReport[], at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("stations")
      .set({ bays: JSON.stringify(bays), last_seen_at: at })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async list(): Promise<Station[]> {
    const rows = await this.db.selectFrom("stations").selectAll().orderBy("name").execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      registeredAt: r.registered_at,
      lastSeenAt: r.last_seen_at,
      ...(r.bays != null ? { bays: JSON.parse(r.bays) as BayReport[] } : {}),
    }));
  }
}
