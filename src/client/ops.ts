/** @module The operator and admin API under /ops/v1/ (docs/ops-api.md) through an ApiClient. */

import type { ApiClient } from "./http.js";
import type {
  HistoryRow,
  JobSummary,
  Location,
  LocationInput,
  OpsDrive,
  ReceiveAnswer,
  StorageAccountInput,
  StorageAccountView,
  WhoAmI,
  WorkQueue,
} from "./types.js";

export const OPS = "/ops/v1";

const enc = encodeURIComponent;

export class OpsApi {
  constructor(private readonly http: ApiClient) {}

  /** Who the token is; any token may ask. */
  whoami(): Promise<WhoAmI> {
    return this.http.request<WhoAmI>("GET", `${OPS}/whoami`);
  }

  async findPackage(carrier: string, tracking: string): Promise<JobSummary[]> {
    return (
      await this.http.request<{ value: JobSummary[] }>("GET", `${OPS}/packages`, {
        query: { carrier, tracking },
      })
    ).value;
  }

  receivePackage(body: {
    carrier: string;
    tracking: string;
    drives: string[];
    reason?: string;
  }): Promise<ReceiveAnswer> {
    return this.http.request<ReceiveAnswer>("POST", `${OPS}/packages/receive`, { body });
  }

  driveFound(body: {
    serial: string;
    carrier: string;
    tracking: string;
  }): Promise<{ job: JobSummary; drive?: OpsDrive }> {
    return this.http.request("POST", `${OPS}/drives/found`, { body });
  }

  registerDrive(body: { job: string; drive: string }): Promise<{ job: JobSummary; drive?: OpsDrive }> {
    return this.http.request("POST", `${OPS}/drives/register`, { body });
  }

  shipBack(body: {
    job: string;
    carrier: string;
    tracking: string;
    shipDate?: string;
  }): Promise<{ job: JobSummary }> {
    return this.http.request("POST", `${OPS}/ship`, { body });
  }

  queue(): Promise<WorkQueue> {
    return this.http.request<WorkQueue>("GET", `${OPS}/queue`);
  }

  async history(job: string): Promise<HistoryRow[]> {
    return (await this.http.request<{ value: HistoryRow[] }>("GET", `${OPS}/history`, { query: { job } }))
      .value;
  }
}

export class AdminApi {
  constructor(private readonly http: ApiClient) {}

  async listLocations(): Promise<Location[]> {
    return (await this.http.request<{ value: Location[] }>("GET", `${OPS}/admin/locations`)).value;
  }

  getLocation(id: string): Promise<Location> {
    return this.http.request<Location>("GET", `${OPS}/admin/locations/${enc(id)}`);
  }

  setLocation(id: string, body: LocationInput): Promise<Location> {
    return this.http.request<Location>("PUT", `${OPS}/admin/locations/${enc(id)}`, { body });
  }

  async deleteLocation(id: string): Promise<void> {
    await this.http.request("DELETE", `${OPS}/admin/locations/${enc(id)}`);
  }

  async listStorageAccounts(): Promise<StorageAccountView[]> {
    return (await this.http.request<{ value: StorageAccountView[] }>("GET", `${OPS}/admin/storage-accounts`))
      .value;
  }

  /** With a subscription, the registration specific to it; without, the one for every subscription. */
  getStorageAccount(name: string, subscription?: string): Promise<StorageAccountView> {
    return this.http.request<StorageAccountView>("GET", `${OPS}/admin/storage-accounts/${enc(name)}`, {
      query: { subscription },
    });
  }

  setStorageAccount(name: string, body: StorageAccountInput): Promise<StorageAccountView> {
    return this.http.request<StorageAccountView>("PUT", `${OPS}/admin/storage-accounts/${enc(name)}`, {
      body,
    });
  }

  async deleteStorageAccount(name: string, subscription?: string): Promise<void> {
    await this.http.request("DELETE", `${OPS}/admin/storage-accounts/${enc(name)}`, {
      query: { subscription },
    });
  }
}
