import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { createUserWithPassword } from "./users";
import { consumeToken, hashToken, issueToken, TOKEN_LIFETIME_MS } from "./tokens";

const newUser = () => createUserWithPassword({ email: `tokens-${randomUUID()}@example.test`, password: "a long password" });

describe("emailed tokens", () => {
  it("are 32 random bytes, stored only as their SHA-256", async () => {
    const user = await newUser();
    const token = await issueToken(user.id, "verify_email");
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = await db().authToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    // The token itself appears in no column of the row.
    expect(JSON.stringify(rows[0])).not.toContain(token);
  });

  it("work once", async () => {
    const user = await newUser();
    const token = await issueToken(user.id, "reset_password");
    expect(await consumeToken(token, "reset_password")).toBe(user.id);
    expect(await consumeToken(token, "reset_password")).toBeNull();
  });

  it("work once under concurrency: of two simultaneous uses, exactly one wins", async () => {
    const user = await newUser();
    const token = await issueToken(user.id, "reset_password");
    const results = await Promise.all([consumeToken(token, "reset_password"), consumeToken(token, "reset_password")]);
    expect(results.filter((r) => r === user.id)).toHaveLength(1);
  });

  it("expire (1 h for a reset, 24 h for a verification)", async () => {
    const user = await newUser();
    const issuedAt = new Date("2026-01-01T12:00:00Z");
    const reset = await issueToken(user.id, "reset_password", issuedAt);
    const verify = await issueToken(user.id, "verify_email", issuedAt);
    const justAfter = (ms: number) => new Date(issuedAt.getTime() + ms + 1);
    expect(await consumeToken(reset, "reset_password", undefined, justAfter(TOKEN_LIFETIME_MS.reset_password))).toBeNull();
    expect(await consumeToken(verify, "verify_email", undefined, justAfter(TOKEN_LIFETIME_MS.verify_email))).toBeNull();
    expect(await consumeToken(verify, "verify_email", undefined, justAfter(TOKEN_LIFETIME_MS.verify_email - 1000))).toBe(user.id);
  });

  it("only work for their purpose", async () => {
    const user = await newUser();
    const token = await issueToken(user.id, "verify_email");
    expect(await consumeToken(token, "reset_password")).toBeNull();
    expect(await consumeToken(token, "verify_email")).toBe(user.id);
  });

  it("using one spends the user's older ones of the same purpose", async () => {
    const user = await newUser();
    const older = await issueToken(user.id, "reset_password");
    const newer = await issueToken(user.id, "reset_password");
    const verification = await issueToken(user.id, "verify_email");
    expect(await consumeToken(newer, "reset_password")).toBe(user.id);
    expect(await consumeToken(older, "reset_password")).toBeNull();
    expect(await consumeToken(verification, "verify_email")).toBe(user.id);
  });

  it("reject garbage without a lookup hit", async () => {
    expect(await consumeToken("", "verify_email")).toBeNull();
    expect(await consumeToken("x".repeat(500), "verify_email")).toBeNull();
    expect(await consumeToken(hashToken("not issued"), "verify_email")).toBeNull();
  });

  it("run their effect in the same transaction: a failing effect leaves the token unspent", async () => {
    const user = await newUser();
    const token = await issueToken(user.id, "reset_password");
    await expect(consumeToken(token, "reset_password", async () => Promise.reject(new Error("effect failed")))).rejects.toThrow("effect failed");
    expect(await consumeToken(token, "reset_password")).toBe(user.id);
  });
});
