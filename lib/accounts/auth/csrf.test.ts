import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { csrfTokenFromCookie } from "./csrf";

const SECRET = "a test secret";
const cookieFor = (token: string, secret = SECRET) => `${token}|${createHash("sha256").update(`${token}${secret}`).digest("hex")}`;

describe("csrfTokenFromCookie", () => {
  it("reads the token from a cookie next-auth made with this secret", () => {
    expect(csrfTokenFromCookie(cookieFor("abc123"), SECRET)).toBe("abc123");
  });

  it("refuses a cookie made with another secret, a tampered one, and anything malformed", () => {
    expect(csrfTokenFromCookie(cookieFor("abc123", "another secret"), SECRET)).toBeUndefined();
    expect(csrfTokenFromCookie(cookieFor("abc123").replace("abc123", "abc124"), SECRET)).toBeUndefined();
    for (const bad of [undefined, "", "abc123", "abc123|", "|deadbeef", "abc123|short"]) expect(csrfTokenFromCookie(bad, SECRET)).toBeUndefined();
  });
});
