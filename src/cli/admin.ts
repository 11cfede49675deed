/** @module `sneakernet admin …`: locations (data centers) and the storage-account registry (admin token). */

import { type Command, Option } from "commander";

import { AdminApi } from "../client/ops.js";
import type { Location, LocationInput, StorageAccountInput, StorageAccountView } from "../client/types.js";
import { parseConnectionString } from "../domain/connection-string.js";
import {
  collect,
  examples,
  type GlobalFlags,
  listCell,
  open,
  printFields,
  printJson,
  subscriptionId,
  verb,
} from "./common.js";
import { printTable, UsageError } from "./output.js";

// ---- locations --------------------------------------------------------------------------------------

function printLocation(location: Location): void {
  printFields([
    ["id", location.id],
    ["name", location.name],
    ["recipient", location.recipientName],
    ["street", [location.streetAddress1, location.streetAddress2].filter(Boolean).join(", ")],
    ["city", location.city],
    ["state or province", location.stateOrProvince],
    ["postal code", location.postalCode],
    ["country or region", location.countryOrRegion],
    ["phone", location.phone],
    ["shipping information", location.additionalShippingInformation],
    ["carriers", listCell(location.supportedCarriers)],
  ]);
}

interface LocationFlags extends GlobalFlags {
  name: string;
  recipient: string;
  street1: string;
  street2?: string;
  city: string;
  stateOrProvince?: string;
  postalCode: string;
  country: string;
  phone: string;
  shippingInfo?: string;
  carrier?: string[];
}

function registerLocation(admin: Command): void {
  const location = admin
    .command("location")
    .description("Data centers: their shipping address and carriers.");

  const list = verb(location, "list", "List the locations.");
  examples(list, ["sneakernet admin location list", "sneakernet admin location list --output json"]);
  list.action(async (flags: GlobalFlags) => {
    const { api, format } = open(flags, "admin", AdminApi);
    const locations = await api.listLocations();
    if (format === "json") {
      printJson(locations);
      return;
    }
    printTable(
      locations.map((l) => ({
        id: l.id,
        name: l.name,
        city: l.city,
        country: l.countryOrRegion,
        carriers: listCell(l.supportedCarriers),
      })),
      ["id", "name", "city", "country", "carriers"],
      { shrink: { carriers: 12, name: 12, city: 10, country: 8 } },
    );
  });

  const show = verb(location, "show <id>", "Show one location.");
  examples(show, ["sneakernet admin location show westus"]);
  show.action(async (id: string, flags: GlobalFlags) => {
    const { api, format } = open(flags, "admin", AdminApi);
    const found = await api.getLocation(id);
    if (format === "json") {
      printJson(found);
    } else {
      printLocation(found);
    }
  });

  const set = verb(
    location,
    "set <id>",
    "Create or replace a location (its id: lowercase letters and digits).",
  )
    .requiredOption("--name <name>", "the display name ('West US')")
    .requiredOption("--recipient <name>", "who receives the packages")
    .requiredOption("--street1 <line>", "street address")
    .option("--street2 <line>", "second address line")
    .requiredOption("--city <city>", "city")
    .option("--state-or-province <name>", "state or province")
    .requiredOption("--postal-code <code>", "postal code")
    .requiredOption("--country <country>", "country or region")
    .requiredOption("--phone <phone>", "phone number")
    .option("--shipping-info <text>", "additional shipping information for customers")
    .option("--carrier <carrier>", "a carrier the location accepts (repeatable)", collect);
  examples(set, [
    "sneakernet admin location set westus --name 'West US' --recipient 'Sneakernet Receiving' \\",
    "    --street1 '1 Data Center Way' --city Quincy --state-or-province WA --postal-code 98848 \\",
    "    --country USA --phone 5090000000 --carrier FedEx --carrier UPS",
  ]);
  set.action(async (id: string, flags: LocationFlags) => {
    const { api, format } = open(flags, "admin", AdminApi);
    const body: LocationInput = {
      name: flags.name,
      recipientName: flags.recipient,
      streetAddress1: flags.street1,
      city: flags.city,
      postalCode: flags.postalCode,
      countryOrRegion: flags.country,
      phone: flags.phone,
      supportedCarriers: flags.carrier ?? [],
      ...(flags.street2 !== undefined ? { streetAddress2: flags.street2 } : {}),
      ...(flags.stateOrProvince !== undefined ? { stateOrProvince: flags.stateOrProvince } : {}),
      ...(flags.shippingInfo !== undefined ? { additionalShippingInformation: flags.shippingInfo } : {}),
    };
    const saved = await api.setLocation(id, body);
    if (format === "json") {
      printJson(saved);
    } else {
      printLocation(saved);
    }
  });

  const remove = verb(location, "delete <id>", "Delete a location no job uses.");
  examples(remove, ["sneakernet admin location delete eastus"]);
  remove.action(async (id: string, flags: GlobalFlags) => {
    const { api, format } = open(flags, "admin", AdminApi);
    await api.deleteLocation(id);
    if (format === "json") {
      printJson({ id, deleted: true });
    } else {
      console.log(`Deleted location ${id}.`);
    }
  });
}

// ---- storage accounts -------------------------------------------------------------------------------

function credentialCell(account: StorageAccountView): string {
  const c = account.credential;
  return c ? `${c.type}${c.hint ? ` ${c.hint}` : ""}` : "-";
}

function printAccount(account: StorageAccountView): void {
  printFields([
    ["name", account.name],
    ["subscription", account.subscriptionId ?? "(any)"],
    ["blob endpoint", account.blobEndpoint],
    ["credential", credentialCell(account)],
    ["file share root", account.fileShareRoot ?? "(each station's own)"],
  ]);
}

function registerStorageAccount(admin: Command): void {
  const accounts = admin
    .command("storage-account")
    .description(
      "The storage-account registry: where a job's storage account resolves to, and with what credential.",
    );
  const subscriptionOption = () =>
    new Option(
      "--subscription <uuid>",
      "the registration specific to this subscription (default: the one for all)",
    ).argParser(subscriptionId);

  const list = verb(
    accounts,
    "list",
    "List the registered storage accounts (credentials as a type and hint only).",
  );
  examples(list, ["sneakernet admin storage-account list"]);
  list.action(async (flags: GlobalFlags) => {
    const { api, format } = open(flags, "admin", AdminApi);
    const all = await api.listStorageAccounts();
    if (format === "json") {
      printJson(all);
      return;
    }
    printTable(
      all.map((a) => ({
        name: a.name,
        subscription: a.subscriptionId ?? "(any)",
        "blob endpoint": a.blobEndpoint,
        credential: credentialCell(a),
      })),
      ["name", "subscription", "blob endpoint", "credential"],
      { shrink: { "blob endpoint": 24, credential: 12, subscription: 13, name: 12 } },
    );
  });

  const show = verb(accounts, "show <name>", "Show one registered storage account.").addOption(
    subscriptionOption(),
  );
  examples(show, [
    "sneakernet admin storage-account show acmedata",
    "sneakernet admin storage-account show acmedata --subscription 6f1d2a3b-0000-4000-8000-000000000001",
  ]);
  show.action(async (name: string, flags: GlobalFlags & { subscription?: string }) => {
    const { api, format } = open(flags, "admin", AdminApi);
    const account = await api.getStorageAccount(name, flags.subscription);
    if (format === "json") {
      printJson(account);
    } else {
      printAccount(account);
    }
  });

  const set = verb(accounts, "set <name>", "Register a storage account (or replace its registration).")
    .option(
      "--blob-endpoint <url>",
      "its blob endpoint, e.g. https://acmedata.blob.core.windows.net (default with --connection-string: the string's)",
    )
    .option(
      "--subscription <uuid>",
      "only for jobs of this subscription (default: any subscription)",
      subscriptionId,
    )
    .addOption(
      new Option("--account-key <key>", "credential: the account key").conflicts([
        "connectionString",
        "sas",
        "entra",
      ]),
    )
    .addOption(
      new Option(
        "--connection-string <text>",
        "credential: a connection string with AccountName and AccountKey",
      ).conflicts(["accountKey", "sas", "entra"]),
    )
    .addOption(
      new Option("--sas <token>", "credential: a SAS token").conflicts([
        "accountKey",
        "connectionString",
        "entra",
      ]),
    )
    .addOption(
      new Option("--entra", "credential: Entra ID (the service's own identity)").conflicts([
        "accountKey",
        "connectionString",
        "sas",
      ]),
    )
    .option(
      "--file-share-root <dir>",
      "where the stations find this account's file shares mounted, as <dir>/<share> (default: each station's --file-shares folder)",
    );
  examples(set, [
    "sneakernet admin storage-account set acmedata --blob-endpoint https://acmedata.blob.core.windows.net --entra",
    "sneakernet admin storage-account set acmedata --blob-endpoint https://acmedata.blob.core.windows.net \\",
    '    --subscription 6f1d2a3b-0000-4000-8000-000000000001 --account-key "$ACCOUNT_KEY"',
    'sneakernet admin storage-account set acmedata --connection-string "$AZURE_STORAGE_CONNECTION_STRING"',
  ]);
  set.action(
    async (
      name: string,
      flags: GlobalFlags & {
        blobEndpoint?: string;
        subscription?: string;
        accountKey?: string;
        connectionString?: string;
        sas?: string;
        entra?: boolean;
        fileShareRoot?: string;
      },
    ) => {
      // A connection string names its endpoint; one it cannot be read from is the server's to refuse.
      const blobEndpoint =
        flags.blobEndpoint ??
        (flags.connectionString !== undefined
          ? parseConnectionString(flags.connectionString)?.blobEndpoint
          : undefined);
      if (blobEndpoint === undefined) {
        throw new UsageError(
          flags.connectionString !== undefined
            ? "the connection string cannot be read (it needs AccountName and AccountKey): check it, or give --blob-endpoint <url>"
            : "required option '--blob-endpoint <url>' not specified",
        );
      }
      const { api, format } = open(flags, "admin", AdminApi);
      const credential: StorageAccountInput["credential"] =
        flags.accountKey !== undefined
          ? { type: "accountKey", secret: flags.accountKey }
          : flags.connectionString !== undefined
            ? { type: "connectionString", secret: flags.connectionString }
            : flags.sas !== undefined
              ? { type: "sas", secret: flags.sas }
              : flags.entra
                ? { type: "entra" }
                : undefined;
      const account = await api.setStorageAccount(name, {
        blobEndpoint,
        ...(flags.subscription !== undefined ? { subscriptionId: flags.subscription } : {}),
        ...(credential ? { credential } : {}),
        ...(flags.fileShareRoot !== undefined ? { fileShareRoot: flags.fileShareRoot } : {}),
      });
      if (format === "json") {
        printJson(account);
      } else {
        printAccount(account);
      }
    },
  );

  const remove = verb(accounts, "delete <name>", "Remove a storage account's registration.").addOption(
    subscriptionOption(),
  );
  examples(remove, ["sneakernet admin storage-account delete acmedata"]);
  remove.action(async (name: string, flags: GlobalFlags & { subscription?: string }) => {
    const { api, format } = open(flags, "admin", AdminApi);
    await api.deleteStorageAccount(name, flags.subscription);
    if (format === "json") {
      printJson({
        name,
        ...(flags.subscription ? { subscriptionId: flags.subscription } : {}),
        deleted: true,
      });
    } else {
      console.log(
        `Deleted storage account ${name}${flags.subscription ? ` (subscription ${flags.subscription})` : ""}.`,
      );
    }
  });
}

export function registerAdmin(program: Command): void {
  const admin = program
    .command("admin")
    .description("Administration: locations and storage accounts (admin token).");
  registerLocation(admin);
  registerStorageAccount(admin);
}
