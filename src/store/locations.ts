/** @module The locations repository: the data centers that accept packages. */

import type { Kysely } from "kysely";

import type { Location } from "../domain/model.js";
import type { Database } from "./schema.js";

export class LocationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Location[]> {
    const rows = await this.db.selectFrom("locations").select("data").orderBy("id").execute();
    return rows.map((r) => JSON.parse(r.data) as Location);
  }

  async get(id: string): Promise<Location | undefined> {
    const row = await this.db.selectFrom("locations").select("data").where("id", "=", id).executeTakeFirst();
    return row ? (JSON.parse(row.data) as Location) : undefined;
  }

  /** Inserts the location unless one with its id exists (seeding is safe to repeat). */
  async insertIfAbsent(location: Location): Promise<void> {
    await this.db
      .insertInto("locations")
      .values({ id: location.id, name: location.name, data: JSON.stringify(location) })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  /** Creates or replaces the location with this id. */
  async upsert(location: Location): Promise<void> {
    await this.db
      .insertInto("locations")
      .values({ id: location.id, name: location.name, data: JSON.stringify(location) })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ name: location.name, data: JSON.stringify(location) }),
      )
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("locations").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
