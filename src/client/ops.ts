/** @module The operator and admin API under /ops/v1/ (docs/ops-api.md) through an ApiClient. */

import { OPS_PREFIX } from "../wire/ids.js";
import type { ApiClient } from "./http.js";
import type {
  DriveAnswer,
  DriveFoundBody,
  HistoryList,
  HistoryRow,
  JobSummary,
  JobSummaryList,
  Location,
  LocationInput,
  LocationList,
  ReceiveAnswer,
  ReceivePackageBody,
  RegisterDriveBody,
  ShipAnswer,
  ShipBody,
  StorageAccountInput,
  StorageAccountList,
  StorageAccountView,
  WhoAmI,
  WorkQueue,
} from "./types.js";

const enc = encodeURIComponent;

export class OpsApi {
  constructor(private readonly http: ApiClient) {}

  /** Who the token is; any token may ask. */
  whoami(): Promise<WhoAmI> {
    return this.http.request<WhoAmI>("GET", `${OPS_PREFIX}/whoami`);
  }

  async findPackage(carrier: string, tracking: string): Promise<JobSummary[]> {
    return (
      await this.http.request<JobSummaryList>("GET", `${OPS_PREFIX}/packages`, {
        query: { carrier, tracking },
      })
    ).value;
  }

  receivePackage(body: ReceivePackageBody): Promise<ReceiveAnswer> {
    return this.http.request<ReceiveAnswer>("POST", `${OPS_PREFIX}/packages/receive`, { body });
  }

  driveFound(body: DriveFoundBody): Promise<DriveAnswer> {
    return this.http.request("POST", `${OPS_PREFIX}/drives/found`, { body });
  }

  registerDrive(body: RegisterDriveBody): Promise<DriveAnswer> {
    return this.http.request("POST", `${OPS_PREFIX}/drives/register`, { body });
  }

  shipBack(body: ShipBody): Promise<ShipAnswer> {
    return this.http.request("POST", `${OPS_PREFIX}/ship`, { body });
  }

  queue(): Promise<WorkQueue> {
    return this.http.request<WorkQueue>("GET", `${OPS_PREFIX}/queue`);
  }

  async history(job: string): Promise<HistoryRow[]> {
    return (await this.http.request<HistoryList>("GET", `${OPS_PREFIX}/history`, { query: { job } })).value;
  }
}

export class AdminApi {
  constructor(private readonly http: ApiClient) {}

  async listLocations(): Promise<Location[]> {
    return (await this.http.request<LocationList>("GET", `${OPS_PREFIX}/admin/locations`)).value;
  }

  getLocation(id: string): Promise<Location> {
    return this.http.request<Location>("GET", `${OPS_PREFIX}/admin/locations/${enc(id)}`);
  }

  setLocation(id: string, body: LocationInput): Promise<Location> {
    return this.http.request<Location>("PUT", `${OPS_PREFIX}/admin/locations/${enc(id)}`, { body });
  }

  async deleteLocation(id: string): Promise<void> {
    await this.http.request("DELETE", `${OPS_PREFIX}/admin/locations/${enc(id)}`);
  }

  async listStorageAccounts(): Promise<StorageAccountView[]> {
    return (await this.http.request<StorageAccountList>("GET", `${OPS_PREFIX}/admin/storage-accounts`)).value;
  }

  /** With a subscription, the registration specific to it; without, the one for every subscription. */
  getStorageAccount(name: string, subscription?: string): Promise<StorageAccountView> {
    return this.http.request<StorageAccountView>("GET", `${OPS_PREFIX}/admin/storage-accounts/${enc(name)}`, {
      query: { subscription },
    });
  }

  setStorageAccount(name: string, body: StorageAccountInput): Promise<StorageAccountView> {
    return this.http.request<StorageAccountView>("PUT", `${OPS_PREFIX}/admin/storage-accounts/${enc(name)}`, {
      body,
    });
  }

  async deleteStorageAccount(name: string, subscription?: string): Promise<void> {
    await this.http.request("DELETE", `${OPS_PREFIX}/admin/storage-accounts/${enc(name)}`, {
      query: { subscription },
    });
  }
}
