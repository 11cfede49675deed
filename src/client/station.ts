/** @module The station API under /ops/v1/ (docs/ops-api.md): what a copy station asks of the control plane. */

import { OPS_PREFIX } from "../wire/ids.js";
import type { ApiClient } from "./http.js";
import type {
  ClaimAnswer,
  FinishAnswer,
  FinishBody,
  ProgressAnswer,
  ProgressBody,
  ReportBaysBody,
  Station,
} from "./types.js";

const enc = encodeURIComponent;

export class StationApi {
  constructor(private readonly http: ApiClient) {}

  /** Records this station (its token) under a name, with a heartbeat. */
  register(name: string): Promise<Station> {
    return this.http.request<Station>("POST", `${OPS_PREFIX}/stations/register`, { body: { name } });
  }

  /** Says what the bays hold (also a heartbeat): operators see drives waiting in bays. */
  reportBays(body: ReportBaysBody): Promise<ReportBaysBody> {
    return this.http.request<ReportBaysBody>("POST", `${OPS_PREFIX}/stations/bays`, { body });
  }

  /** Takes (or, for the holder, renews) the drive's lease; the answer carries the key and storage access. */
  claim(serial: string): Promise<ClaimAnswer> {
    return this.http.request<ClaimAnswer>("POST", `${OPS_PREFIX}/drives/${enc(serial)}/claim`);
  }

  progress(serial: string, body: ProgressBody): Promise<ProgressAnswer> {
    return this.http.request<ProgressAnswer>("POST", `${OPS_PREFIX}/drives/${enc(serial)}/progress`, {
      body,
    });
  }

  finish(serial: string, body: FinishBody): Promise<FinishAnswer> {
    return this.http.request<FinishAnswer>("POST", `${OPS_PREFIX}/drives/${enc(serial)}/finish`, { body });
  }
}
