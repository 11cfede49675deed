/** @module A job's shipping cards: the data center's address to ship the drives to, the customer's package, the return package. */

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
      </section>
    </div>
  );
}

function AddressBlock({ address }: { address: Address }) {
  const lines = [
    address.recipientName,
    address.streetAddress1,
    address.streetAddress2,
    [address.postalCode, address.city].filter(Boolean).join(" "),
    address.stateOrProvince,
    address.countryOrRegion,
    address.phone,
    address.additionalInformation,
  ].filter(Boolean);
  return (
    <address>
      {lines.map((line, i) => (
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
