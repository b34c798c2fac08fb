import { describe, expect, it } from "vitest";
import { clientAddress, InvalidTrustedProxiesError, parseTrustedProxies } from "./client-address";

const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientAddress behind trusted proxies", () => {
  it("trusts no header when no proxy is trusted (unset, empty or 0)", () => {
    for (const setting of [undefined, "", "0"]) {
      expect(parseTrustedProxies(setting)).toBeNull();
      expect(clientAddress(forwarded("203.0.113.7"), parseTrustedProxies(setting))).toBeNull();
    }
  });

  it("with one hop (nginx appending $remote_addr, Vercel), takes the rightmost entry and ignores a forged first one", () => {
    const oneHop = parseTrustedProxies("1");
    expect(clientAddress(forwarded("203.0.113.7"), oneHop)).toBe("203.0.113.7");
    expect(clientAddress(forwarded("1.2.3.4, 203.0.113.7"), oneHop)).toBe("203.0.113.7");
    expect(clientAddress(forwarded("1.2.3.4,5.6.7.8 ,  203.0.113.7"), oneHop)).toBe("203.0.113.7");
  });

  it("with two hops (a CDN in front of a load balancer), takes the second entry from the right", () => {
    expect(clientAddress(forwarded("1.2.3.4, 203.0.113.7, 10.0.0.1"), parseTrustedProxies("2"))).toBe("203.0.113.7");
  });

  it("gives no address when fewer entries than hops arrived: the request skipped a proxy", () => {
    expect(clientAddress(forwarded("203.0.113.7"), parseTrustedProxies("2"))).toBeNull();
    expect(clientAddress(new Headers(), parseTrustedProxies("1"))).toBeNull();
  });

  it("with a CIDR list, skips trusted addresses from the right and takes the first one outside them", () => {
    const ranges = parseTrustedProxies("10.0.0.0/8, 192.0.2.10, fd00::/8");
    expect(clientAddress(forwarded("1.2.3.4, 203.0.113.7, 192.0.2.10, 10.1.2.3"), ranges)).toBe("203.0.113.7");
    expect(clientAddress(forwarded("1.2.3.4, 2001:db8::7, fd00::1"), ranges)).toBe("2001:db8::7");
    // A forged entry to the left of the real client is never reached.
    expect(clientAddress(forwarded("10.9.9.9, 203.0.113.7, 10.0.0.1"), ranges)).toBe("203.0.113.7");
    // Every entry a proxy: there is no client address to believe.
    expect(clientAddress(forwarded("10.0.0.2, 10.0.0.1"), ranges)).toBeNull();
  });

  it("knows Express's names for the private ranges", () => {
    const ranges = parseTrustedProxies("loopback, uniquelocal");
    expect(clientAddress(forwarded("203.0.113.7, 172.16.5.4, 127.0.0.1"), ranges)).toBe("203.0.113.7");
    expect(clientAddress(forwarded("::ffff:10.0.0.1"), ranges)).toBeNull();
  });

  it("gives no address when the chosen entry is not an IP address", () => {
    expect(clientAddress(forwarded("1.2.3.4, not-an-ip"), parseTrustedProxies("1"))).toBeNull();
    expect(clientAddress(forwarded("unknown, 10.0.0.1"), parseTrustedProxies("10.0.0.0/8"))).toBeNull();
  });

  it("refuses a setting it cannot read", () => {
    for (const setting of ["21", "10.0.0.0/33", "proxy.example", "10.0.0.0/8/1", "1.2.3"]) {
      expect(() => parseTrustedProxies(setting), setting).toThrow(InvalidTrustedProxiesError);
    }
  });
});
