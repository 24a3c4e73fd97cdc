import { isIPv4, isIPv6 } from "node:net";

// Addresses a request made on a customer's behalf must never reach: this host, the private
// networks around it, cloud metadata (169.254.169.254), and the other special-purpose ranges of
// the IANA registries that are not globally reachable.
const PRIVATE_V4 = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8",
  "100.64.0.0/10", // carrier-grade NAT
  "127.0.0.0/8",
  "169.254.0.0/16", // link-local, cloud metadata
  "172.16.0.0/12",
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // documentation
  "192.88.99.0/24", // 6to4 relay anycast
  "192.168.0.0/16",
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // documentation
  "203.0.113.0/24", // documentation
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, broadcast
].map((cidr) => prefix(cidr, 32, parseV4));

// IPv6 is refused outside global unicast (2000::/3), which leaves out loopback, unspecified,
// unique-local fc00::/7, link-local fe80::/10, multicast ff00::/8 and the IPv4-mapped forms
// (handled below); inside it, these are not globally reachable.
const GLOBAL_V6 = prefix("2000::/3", 128, parseV6);
const PRIVATE_GLOBAL_V6 = ["2001::/23", "2001:db8::/32", "3fff::/20"].map((cidr) => prefix(cidr, 128, parseV6));
// Forms that carry an IPv4 address, which is what they reach: judged as that address.
const V4_MAPPED = prefix("::ffff:0:0/96", 128, parseV6);
const NAT64 = prefix("64:ff9b::/96", 128, parseV6);
const SIX_TO_FOUR = prefix("2002::/16", 128, parseV6);

/** Whether `ip` (an IPv4 or IPv6 literal, without brackets) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  if (isIPv4(ip)) return isPublicV4(parseV4(ip));
  const bare = ip.split("%")[0]!; // a zone id only ever comes with link-local addresses
  if (!isIPv6(bare)) return false;
  const address = parseV6(bare);
  if (V4_MAPPED.has(address) || NAT64.has(address)) return isPublicV4(address & 0xffffffffn);
  if (SIX_TO_FOUR.has(address)) return isPublicV4((address >> 80n) & 0xffffffffn);
  return GLOBAL_V6.has(address) && !PRIVATE_GLOBAL_V6.some((range) => range.has(address));
}

function isPublicV4(address: bigint): boolean {
  return !PRIVATE_V4.some((range) => range.has(address));
}

function prefix(cidr: string, width: number, parse: (text: string) => bigint) {
  const [base, bits] = cidr.split("/") as [string, string];
  const shift = BigInt(width - Number(bits));
  const network = parse(base) >> shift;
  return { has: (address: bigint) => address >> shift === network };
}

function parseV4(text: string): bigint {
  return text.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** A valid IPv6 literal (checked by the caller) as a 128-bit number; "::" and a dotted IPv4 tail allowed. */
function parseV6(text: string): bigint {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const hex = dotted
    ? `${text.slice(0, dotted.index)}${((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16)}:${((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16)}`
    : text;
  const [head, tail] = hex.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const all =
    tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
