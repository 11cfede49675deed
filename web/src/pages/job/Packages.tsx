/**
 * @module A job's shipping cards: the data center's address to ship the drives to, the customer's package, the return
 * package and the address it goes to. Addresses are written in their country's order (address.ts).
 */

import { addressLines } from "../../address";
import type { Address, ArmJob, Package } from "../../api";
import { useI18n } from "../../i18n";

export function Packages({ job }: { job: ArmJob }) {
  const { t } = useI18n();
  const p = job.properties;
  return (
    <div className="columns">
      {p.shippingInformation ? (
        <section>
          <h2>{t("shipToTitle")}</h2>
          <AddressBlock address={p.shippingInformation} />
        </section>
      ) : null}
      <section>
        <h2>{t("deliveryTitle")}</h2>
        <PackageFacts pkg={p.deliveryPackage} />
      </section>
      <section>
        <h2>{t("returnTitle")}</h2>
        {p.returnPackage?.trackingNumber ? (
          <PackageFacts pkg={p.returnPackage} />
        ) : (
          <p>{t("returnNotYet")}</p>
        )}
        {/* Where it goes: the customer checks it, the operator shipping the drives back copies it. */}
        {p.returnAddress ? (
          <>
            <h3>{t("sectionReturn")}</h3>
            <AddressBlock address={p.returnAddress} />
          </>
        ) : null}
      </section>
    </div>
  );
}

function AddressBlock({ address }: { address: Address }) {
  return (
    <address>
      {addressLines(address).map((line, i) => (
        <span key={i}>
          {line}
          <br />
        </span>
      ))}
    </address>
  );
}

function PackageFacts({ pkg }: { pkg: Package | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!pkg?.trackingNumber) {
    return <p>{t("unknown")}</p>;
  }
  return (
    <dl className="facts compact">
      <div>
        <dt>{t("carrier")}</dt>
        <dd>{pkg.carrierName}</dd>
      </div>
      <div>
        <dt>{t("trackingNumber")}</dt>
        <dd>{pkg.trackingNumber}</dd>
      </div>
      {pkg.driveCount !== undefined ? (
        <div>
          <dt>{t("driveCount")}</dt>
          <dd>{i18n.number(pkg.driveCount)}</dd>
        </div>
      ) : null}
      {pkg.shipDate ? (
        <div>
          <dt>{t("shipDate")}</dt>
          <dd>{i18n.date(pkg.shipDate)}</dd>
        </div>
      ) : null}
    </dl>
  );
}
