import { BlockList, isIP } from "node:net";

// The client's address behind reverse proxies, as Express's `trust proxy` reads it. A route handler
// cannot see the socket, so the address comes from X-Forwarded-For, which every proxy appends to and
// the client can pre-fill with anything: only the entries our own proxies added can be believed,
// and those are on the right.

/** How many proxies append to X-Forwarded-For in front of the app, or which addresses they have. */
export type TrustedProxies = { hops: number } | { addresses: BlockList } | null;

// Express's names for common ranges, so `TRUSTED_PROXIES=loopback,uniquelocal` reads as it does there.
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

export class InvalidTrustedProxiesError extends Error {}

/**
 * Parses TRUSTED_PROXIES: unset (or 0) trusts no proxy; a whole number is a hop count; otherwise a
 * comma-separated list of addresses, CIDR ranges and Express's names (loopback, linklocal, uniquelocal).
 */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "0") return null;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 20) throw new InvalidTrustedProxiesError("a hop count must be at most 20");
    return { hops };
  }
  const addresses = new BlockList();
  for (const entry of value.split(",").map((part) => part.trim()).filter(Boolean)) {
    for (const range of NAMED_RANGES[entry.toLowerCase()] ?? [entry]) addRange(addresses, range);
  }
  return { addresses };
}

function addRange(list: BlockList, range: string) {
  const [address = "", prefix, ...rest] = range.split("/");
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || (prefix !== undefined && !/^\d+$/.test(prefix)) || Number(prefix ?? bits) > bits) {
    throw new InvalidTrustedProxiesError(`"${range}" is not an IP address, a CIDR range, or one of ${Object.keys(NAMED_RANGES).join(", ")}`);
  }
  list.addSubnet(address, Number(prefix ?? bits), family === 4 ? "ipv4" : "ipv6");
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address, or null when it cannot be believed: no proxy is trusted, fewer entries than
 * trusted hops (the request did not come through all of them), every entry is a trusted proxy, or
 * the entry is not an IP address. Trusting proxies assumes the app is reachable only through them.
 */
export function clientAddress(headers: Headers, trusted: TrustedProxies): string | null {
  if (!trusted) return null;
  // Several X-Forwarded-For lines are one list (Headers joins them with ", "), in order.
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  let client: string | undefined;
  if ("hops" in trusted) {
    client = entries[entries.length - trusted.hops];
  } else {
    client = [...entries].reverse().find((entry) => !isTrusted(trusted.addresses, entry));
  }
  return client !== undefined && isIP(client) !== 0 ? client : null;
}
