import { describe, expect, it } from "vitest";
import { appUrl } from "../../core/env";
import { safeRedirectPath } from "./redirect";

describe("safeRedirectPath", () => {
  const origin = new URL(appUrl()).origin;
  const FALLBACK = "/wallet";

  // [input, expected]: foreign or unparseable targets fall back; same-origin ones survive as paths.
  const table: Array<[string | undefined, string]> = [
    ["//x", FALLBACK],
    ["//evil.example/wallet", FALLBACK],
    ["/\\x", FALLBACK],
    ["/\\evil.example", FALLBACK],
    ["\\\\evil.example", FALLBACK],
    ["https://x", FALLBACK],
    ["https://evil.example/wallet", FALLBACK],
    ["http://evil.example", FALLBACK],
    ["javascript:alert(1)", FALLBACK],
    ["JavaScript:alert(document.cookie)", FALLBACK],
    ["data:text/html,<script>alert(1)</script>", FALLBACK],
    // What the sign-in page receives after the query string is decoded: a raw tab or newline,
    // which the URL parser strips, leaving //evil.example.
    ["/\t/evil.example", FALLBACK],
    ["/\n/evil.example", FALLBACK],
    ["/\r\n/evil.example", FALLBACK],
    // Still percent-encoded (e.g. passed through twice): the parser keeps it as a path on our site.
    ["/%09/x", "/%09/x"],
    ["/%0a/x", "/%0a/x"],
    // A lone backslash is a path separator to the parser: /x on our own origin.
    ["\\x", "/x"],
    [`${origin.replace("http", "https")}/wallet`, FALLBACK],
    ["", FALLBACK],
    [undefined, FALLBACK],
    // Good targets survive, with their query strings and fragments.
    ["/wallet", "/wallet"],
    ["/billing", "/billing"],
    ["/wallet?checkout=success&session_id=cs_test_123", "/wallet?checkout=success&session_id=cs_test_123"],
    ["/admin?page=2#events", "/admin?page=2#events"],
    [`${origin}/billing?plan=pro`, "/billing?plan=pro"],
    ["/wallet/../admin", "/admin"],
    // Dot segments that the parser removes, leaving a path that starts with // (a protocol-relative
    // URL to another host once the browser reads the Location header).
    ["/.//evil.example", FALLBACK],
    ["/./\\evil.example", FALLBACK],
    ["/.\\/evil.example", FALLBACK],
    ["/x/..//evil.example", FALLBACK],
    ["/x/../\\evil.example", FALLBACK],
    ["/wallet/../..//evil.example", FALLBACK],
    ["/%2e//evil.example", FALLBACK],
    ["/%2E%2E//evil.example", FALLBACK],
    ["/x/%2e%2e//evil.example/wallet?x=1", FALLBACK],
    ["/./\t/evil.example", FALLBACK],
    [`${origin}/.//evil.example`, FALLBACK],
    // A path that only looks odd but stays on our site survives.
    ["/./wallet", "/wallet"],
    ["/wallet/./receipts/../billing", "/wallet/billing"],
  ];

  it.each(table)("%j → %j", (input, expected) => {
    expect(safeRedirectPath(input, FALLBACK)).toBe(expected);
  });

  it("uses the caller's fallback", () => {
    expect(safeRedirectPath("//x", "/admin")).toBe("/admin");
  });
});

describe("next-auth's redirect callback", () => {
  it("keeps a dot-segment target on our origin instead of turning it into another host", async () => {
    const { authOptions } = await import("./options");
    const baseUrl = new URL(appUrl()).origin;
    const redirect = authOptions.callbacks?.redirect;
    if (!redirect) throw new Error("authOptions has no redirect callback");
    expect(await redirect({ url: "/.//evil.example", baseUrl })).toBe(`${baseUrl}/wallet`);
    expect(await redirect({ url: `${baseUrl}/x/..//evil.example`, baseUrl })).toBe(`${baseUrl}/wallet`);
    expect(await redirect({ url: "/billing", baseUrl })).toBe(`${baseUrl}/billing`);
  });
});
