/** @module `sneakernet token create`: makes a token offline, against the service's data dir or database. */

import { type Command, Option } from "commander";

import { checkTokenRequest, createToken } from "../app/create-token.js";
import { ROLES } from "../app/support/principal.js";
import { isDomainError } from "../domain/errors.js";
import { openDeps } from "../serve/open.js";
import { offlineStore, oneOf, subscriptionIds } from "./common.js";
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
        const request = {
          role: flags.role,
          subscriptions: flags.subscription,
          ...(flags.name !== undefined ? { label: flags.name } : {}),
        };
        try {
          // Checked before the data dir is opened (and made): a customer token without --subscription,
          // an operator's with one, a bad --name are usage errors, and leave nothing behind.
          checkTokenRequest(request);
        } catch (error) {
          throw isDomainError(error) ? new UsageError(error.message) : error;
        }
        const deps = await openDeps(offlineStore(flags));
        try {
          const created = await createToken(deps, request);
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
