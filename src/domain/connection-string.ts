/** @module An Azure Storage connection string, read into the account, key and blob endpoint a SAS is minted with. */

export interface ConnectionString {
  accountName: string;
  /** Base64, as the portal shows it. */
  accountKey: string;
  /** Without a trailing slash; derived from the protocol and suffix when the string names none. */
  blobEndpoint: string;
}

/**
 * `AccountName=…;AccountKey=…;BlobEndpoint=…` or `DefaultEndpointsProtocol=https;AccountName=…;
 * AccountKey=…;EndpointSuffix=core.windows.net`; undefined when it lacks what a key-signed SAS needs
 * (a SAS-only connection string is registered as a `sas` credential instead).
 */
export function parseConnectionString(text: string): ConnectionString | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) {
      // Keys are case-insensitive in Azure's own parsers; a key's value may itself hold `=` (base64 padding).
      fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
    }
  }
  const accountName = fields.get("accountname");
  const accountKey = fields.get("accountkey");
  if (!accountName || !accountKey || !/^[A-Za-z0-9+/]+=*$/.test(accountKey)) {
    return undefined;
  }
  let blobEndpoint = fields.get("blobendpoint");
  if (!blobEndpoint) {
    const protocol = fields.get("defaultendpointsprotocol") ?? "https";
    const suffix = fields.get("endpointsuffix") ?? "core.windows.net";
    blobEndpoint = `${protocol}://${accountName}.blob.${suffix}`;
  }
  try {
    const url = new URL(blobEndpoint);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return { accountName, accountKey, blobEndpoint: blobEndpoint.replace(/\/+$/, "") };
}
