/** @module The admin API under /ops/v1/admin/: locations and the storage-account registry (admin token). */

import type { FastifyInstance, FastifyRequest } from "fastify";

import { deleteLocation } from "../../app/delete-location.js";
import { deleteStorageAccount } from "../../app/delete-storage-account.js";
import { getLocation } from "../../app/get-location.js";
import { getStorageAccount } from "../../app/get-storage-account.js";
import { listLocations } from "../../app/list-locations.js";
import { listStorageAccounts } from "../../app/list-storage-accounts.js";
import { setLocation } from "../../app/set-location.js";
import { setStorageAccount } from "../../app/set-storage-account.js";
import type { AppDeps } from "../../app/support/deps.js";
import { ADMINS, throwIfNotRole } from "../../app/support/principal.js";
import { locationBody, storageAccountBody } from "../../wire/ops.js";
import { parseBody } from "../http/body.js";
import { principalOf } from "../http/request.js";

function subscriptionOf(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown>).subscription;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Drops the keys whose value is undefined: the use cases take optional fields as absent, not undefined. */
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function registerAdminRoutes(app: FastifyInstance, deps: AppDeps, prefix: string): void {
  const p = `${prefix}/admin`;

  app.get(`${p}/locations`, async (request) => {
    throwIfNotRole(principalOf(request), ADMINS, "administer locations");
    return { value: await listLocations(deps) };
  });
  app.get(`${p}/locations/:id`, async (request) => {
    throwIfNotRole(principalOf(request), ADMINS, "administer locations");
    return getLocation(deps, (request.params as { id: string }).id);
  });
  app.put(`${p}/locations/:id`, async (request) => {
    const { id: _id, ...body } = parseBody(locationBody, request.body);
    return setLocation(deps, principalOf(request), (request.params as { id: string }).id, present(body));
  });
  app.delete(`${p}/locations/:id`, async (request, reply) => {
    await deleteLocation(deps, principalOf(request), (request.params as { id: string }).id);
    return reply.code(200).send({ deleted: true });
  });

  app.get(`${p}/storage-accounts`, async (request) => ({
    value: await listStorageAccounts(deps, principalOf(request)),
  }));
  app.get(`${p}/storage-accounts/:name`, async (request) =>
    getStorageAccount(
      deps,
      principalOf(request),
      (request.params as { name: string }).name,
      subscriptionOf(request),
    ),
  );
  app.put(`${p}/storage-accounts/:name`, async (request, reply) => {
    const { name: _name, ...body } = parseBody(storageAccountBody, request.body);
    const subscriptionId = body.subscriptionId ?? subscriptionOf(request);
    const { view, created } = await setStorageAccount(
      deps,
      principalOf(request),
      (request.params as { name: string }).name,
      present({ ...body, subscriptionId }),
    );
    // As a job's PUT: 201 when it registered the account, 200 when it replaced a registration.
    return reply.code(created ? 201 : 200).send(view);
  });
  app.delete(`${p}/storage-accounts/:name`, async (request, reply) => {
    await deleteStorageAccount(
      deps,
      principalOf(request),
      (request.params as { name: string }).name,
      subscriptionOf(request),
    );
    return reply.code(200).send({ deleted: true });
  });
}
