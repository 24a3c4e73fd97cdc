import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { isPublicAddress } from "@/lib/http/public-address";

// The admin chooses the URL and sees what came back, so without these checks the alert webhook
// would let anyone with an account probe and reach the network Holdfast runs in (SSRF).

/** Every address a host name resolves to; injectable so tests never depend on real DNS. */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const resolveHost: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

// One answer for "private", "internal" and "not found": telling them apart would map the network.
export const PRIVATE_DESTINATION =
  "Alerts can only go to a receiver on the public internet; this URL's host is private, internal or could not be found.";

export class RefusedDestinationError extends Error {
  constructor() {
    super(PRIVATE_DESTINATION);
  }
}

const privateAllowed = () => env().ALERT_WEBHOOK_ALLOW_PRIVATE;

/** The URL's host without IPv6 brackets, and whether it is an address literal (no lookup happens for those). */
function hostOf(url: URL): { host: string; literal: boolean } {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { host, literal: isIP(host) !== 0 };
}

/** At save time: null when the URL's host is public (or private ones are allowed), else why not. */
export async function webhookDestinationProblem(url: URL, resolve: ResolveHost = resolveHost): Promise<string | null> {
  if (privateAllowed()) return null;
  const { host, literal } = hostOf(url);
  if (literal) return isPublicAddress(host) ? null : PRIVATE_DESTINATION;
  const addresses = await resolve(host).catch(() => []);
  return addresses.length > 0 && addresses.every((a) => isPublicAddress(a.address)) ? null : PRIVATE_DESTINATION;
}

/**
 * At send time, for http(s).request: refuses an address literal outright, and gives a host name
 * a `lookup` that resolves it, checks every address and hands the socket exactly those, so a DNS
 * answer that changed since the save (rebinding) cannot slip a private address in between.
 * undefined when private destinations are allowed.
 */
export function sendTimeLookup(url: URL, resolve: ResolveHost = resolveHost): LookupFunction | undefined {
  if (privateAllowed()) return undefined;
  const { host, literal } = hostOf(url);
  if (literal && !isPublicAddress(host)) throw new RefusedDestinationError();
  return checkedLookup(resolve);
}

export function checkedLookup(resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? resolved.filter((a) => a.family === options.family) : resolved;
        if (wanted.length === 0 || resolved.some((a) => !isPublicAddress(a.address))) {
          callback(new RefusedDestinationError(), "", 0);
        } else if (options.all) {
          callback(null, wanted);
        } else {
          callback(null, wanted[0]!.address, wanted[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}
