/** @module The customer reads their drives' BitLocker keys: the one place the keys leave the service, to the job's owner. */

import type { AppDeps } from "./support/deps.js";
import { type JobAddress, loadJob, validateJobAddress } from "./support/job-view.js";
import { type Principal, throwIfNotOwner } from "./support/principal.js";

export async function listBitLockerKeys(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
): Promise<{ driveId: string; bitLockerKey: string }[]> {
  validateJobAddress(address);
  throwIfNotOwner(principal, address.subscriptionId);
  const repos = deps.store.direct;
  const job = await loadJob(repos, address);
  const keys = await repos.drives.encryptedKeys(job.id);
  return keys
    .filter((k): k is { driveId: string; bitLockerKeyEnc: string } => k.bitLockerKeyEnc !== null)
    .map((k) => ({ driveId: k.driveId, bitLockerKey: deps.secrets.open(k.bitLockerKeyEnc) }));
}
