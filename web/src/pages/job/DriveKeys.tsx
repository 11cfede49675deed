/** @module The customer's drive keys card: the BitLocker keys, shown only on request and after a confirmation. */

import { useState } from "react";

import { api, type ArmJob } from "../../api";
import { Action, TableRegion } from "../../components/ui";
import { useI18n } from "../../i18n";

export function DriveKeys({ job }: { job: ArmJob }) {
  const { t } = useI18n();
  const p = job.properties;
  const [keys, setKeys] = useState<{ driveId: string; bitLockerKey: string }[]>();
  if (!keys) {
    return (
      <Action
        label={t("revealKeys")}
        refusal={
          p.jobType === "Import" && (p.driveList?.length ?? 0) === 0 ? { key: "needsDrives" } : undefined
        }
        confirm={t("revealConfirm")}
        onConfirm={async () => setKeys((await api.keys(job.id)).value)}
      />
    );
  }
  return (
    <>
      <TableRegion label={t("keysTitle")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("colDrive")}</th>
              <th scope="col">{t("colKey")}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.driveId}>
                <th scope="row">
                  <code>{k.driveId}</code>
                </th>
                <td data-label={t("colKey")}>
                  <code>{k.bitLockerKey}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <button type="button" onClick={() => setKeys(undefined)}>
        {t("hideKeys")}
      </button>
    </>
  );
}
