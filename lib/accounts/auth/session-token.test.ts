import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "./session-token";

const secret = "session-token-test-secret-0123456789";

describe("session tokens with the derived key kept", () => {
  it("reads a token next-auth issued, and next-auth reads one it issued", async () => {
    const claims = { sub: "user-1", uid: "user-1", role: "USER" as const, sv: 3 };
    expect(await decodeSessionToken({ token: await encode({ token: claims, secret }), secret })).toMatchObject(claims);
    const ours = await encodeSessionToken({ token: claims, secret, maxAge: 60 });
    const read = await decode({ token: ours, secret });
    expect(read).toMatchObject(claims);
    expect(Number(read?.exp) - Number(read?.iat)).toBe(60);
    expect(read?.jti).toEqual(expect.any(String));
  });

  it("keeps one key per secret and salt: a token is refused under another secret or salt", async () => {
    const token = await encodeSessionToken({ token: { sub: "user-2" }, secret, salt: "a" });
    expect(await decodeSessionToken({ token, secret, salt: "a" })).toMatchObject({ sub: "user-2" });
    await expect(decodeSessionToken({ token, secret, salt: "" })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret: `${secret}-other`, salt: "a" })).rejects.toThrow();
    await expect(decode({ token, secret, salt: "b" })).rejects.toThrow();
  });

  it("refuses an expired token, as next-auth does, and reads no token as none", async () => {
    const expired = await encodeSessionToken({ token: { sub: "user-3" }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow(/exp/);
    await expect(decode({ token: expired, secret })).rejects.toThrow(/exp/);
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });
});
