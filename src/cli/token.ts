/** @module `sneakernet token create`: makes a token offline, against the service's data dir or database. */

import { type Command, Option } from "commander";

import { createToken } from "../app/create-token.js";
import { ROLES } from "../app/support/principal.js";
import { isDomainError } from "../domain/errors.js";
import { storeConfig } from "../serve/config.js";
import { openDeps } from "../serve/open.js";
import { oneOf, subscriptionIds } from "./common.js";
import { UsageError } from "./output.js";

export function registerToken(program: Command): void {
  const token = program.command("token").description("Manage API tokens.");
  token
    .command("create")
    .description("Create a token and print it alone on stdout (it is stored only as a hash: keep it).")
    .addOption(new Option("--role <role>", ROLES.join(" | ")).argParser(oneOf(ROLES)).makeOptionMandatory())
    .option(
      "--subscription <uuid>",
      "a subscription the customer token may act on (repeatable)",
      subscriptionIds,
      [],
    )
    .option("--name <label>", "a label for the token, shown in history and logs")
    .option("--data-dir <dir>", "the service's data dir (env SNEAKERNET_DATA_DIR)")
    .option("--database-url <url>", "the service's database (env DATABASE_URL)")
    .addHelpText(
      "after",
      "\nExamples:\n  npx sneakernet token create --role customer --subscription 6f1d2a3b-0000-4000-8000-000000000001\n  npx sneakernet token create --role operator --name alice\n  export SNEAKERNET_TOKEN=$(npx sneakernet token create --role admin)",
    )
    .action(
      async (flags: {
        role: string;
        subscription: string[];
        name?: string;
        dataDir?: string;
        databaseUrl?: string;
      }) => {
        const deps = await openDeps(storeConfig(flags));
        try {
          const created = await createToken(deps, {
            role: flags.role,
            subscriptions: flags.subscription,
            ...(flags.name !== undefined ? { label: flags.name } : {}),
          }).catch((error: unknown) => {
            // Nothing but the flags can be wrong here (a customer token without --subscription, an
            // operator's with one, a bad --name): a usage error, not a refusal.
            throw isDomainError(error) ? new UsageError(error.message) : error;
          });
          console.log(created.token);
          const scope =
            created.subscriptions.length > 0 ? ` for subscription ${created.subscriptions.join(", ")}` : "";
          console.error(`Created ${created.role} token ${created.id}${scope}.`);
        } finally {
          await deps.store.close();
        }
      },
    );
}
