import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../core/db";
import { ConflictError } from "../core/errors";
import { createUserWithPassword, getUserById, markEmailVerified, verifyCredentials } from "./users";

const uniqueEmail = () => `user-${randomUUID()}@example.test`;

describe("password accounts", () => {
  it("stores an argon2 hash, never the password, and normalises the email", async () => {
    const email = uniqueEmail();
    const user = await createUserWithPassword({ email: `  ${email.toUpperCase()} `, password: "correct horse" });
    expect(user.email).toBe(email);
    expect(user.role).toBe("USER");
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain("correct horse");
  });

  it("refuses a duplicate email with a clear conflict", async () => {
    const email = uniqueEmail();
    await createUserWithPassword({ email, password: "first password" });
    const duplicate = createUserWithPassword({ email: email.toUpperCase(), password: "second password" });
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    await expect(duplicate).rejects.toMatchObject({ code: "email_taken", status: 409 });
  });

  it("verifies the right password and rejects a wrong one or an unknown email", async () => {
    const email = uniqueEmail();
    const user = await createUserWithPassword({ email, password: "right password" });
    expect(await verifyCredentials(email, "right password")).toMatchObject({ id: user.id });
    expect(await verifyCredentials(email, "wrong password")).toBeNull();
    expect(await verifyCredentials(uniqueEmail(), "right password")).toBeNull();
  });

  it("makes ADMIN_EMAILS admins only once the address is verified, and never an unverified user", async () => {
    const email = uniqueEmail();
    const user = await createUserWithPassword({ email, password: "a password" });
    const { env } = await import("../core/env");
    env().ADMIN_EMAILS = [email];
    try {
      expect(user.role).toBe("USER");
      expect((await getUserById(user.id))?.role).toBe("USER");
      expect((await verifyCredentials(email, "a password"))?.role).toBe("USER");
      // Even a stored ADMIN role does not count while the address is unverified.
      await db().user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
      expect((await getUserById(user.id))?.role).toBe("USER");
      await db().user.update({ where: { id: user.id }, data: { role: "USER" } });

      await markEmailVerified(user.id);
      expect((await getUserById(user.id))?.role).toBe("ADMIN");
      expect(await getUserById(user.id)).toMatchObject({ emailVerified: true });
      expect((await verifyCredentials(email, "a password"))?.role).toBe("ADMIN");
      // ADMIN_EMAILS is never written into the row: removing the address from the list demotes at once.
      expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("USER");
    } finally {
      env().ADMIN_EMAILS = undefined;
    }
    expect((await getUserById(user.id))?.role).toBe("USER");
  });

  it("spends as long on an unknown email as on a wrong password (dummy argon2 check)", async () => {
    const email = uniqueEmail();
    await createUserWithPassword({ email, password: "right password" });
    await verifyCredentials(uniqueEmail(), "warm up the dummy hash");
    const time = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time(() => verifyCredentials(email, "wrong password")));
      unknown.push(await time(() => verifyCredentials(uniqueEmail(), "wrong password")));
    }
    // The fastest run of each is the least disturbed by other test files sharing the CPU. Without the
    // dummy check an unknown email costs one indexed lookup (~1 ms) against argon2's 10+ ms.
    const [fastestKnown, fastestUnknown] = [Math.min(...known), Math.min(...unknown)];
    expect(fastestUnknown).toBeGreaterThan(fastestKnown * 0.4);
    expect(fastestUnknown).toBeLessThan(fastestKnown * 2.5);
  });
});
