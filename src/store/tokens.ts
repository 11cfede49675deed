/** @module The tokens repository: tokens are kept only as SHA-256 hashes, never in the clear. */

import type { Kysely } from "kysely";

import type { Database } from "./schema.js";

export type Role = "customer" | "operator" | "station" | "admin";

export interface TokenRecord {
  id: string;
  hash: string;
  role: Role;
  subscriptions: string[];
  label: string;
  createdAt: string;
}

export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto("tokens")
      .values({
        id: token.id,
        hash: token.hash,
        role: token.role,
        subscriptions: JSON.stringify(token.subscriptions),
        label: token.label,
        created_at: token.createdAt,
      })
      .execute();
  }

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom("tokens").selectAll().where("hash", "=", hash).executeTakeFirst();
    if (!row) {
      return undefined;
    }
    return {
      id: row.id,
      hash: row.hash,
      role: row.role as Role,
      subscriptions: JSON.parse(row.subscriptions) as string[],
      label: row.label,
      createdAt: row.created_at,
    };
  }
}
