import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { ConflictError } from "../errors";
import { createUserWithPassword, getUserById, verifyCredentials } from "./queries";

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

  it("makes ADMIN_EMAILS admins at sign-up and on every read", async () => {
    const email = uniqueEmail();
    const user = await createUserWithPassword({ email, password: "a password" });
    expect((await getUserById(user.id))?.role).toBe("USER");
    const { env } = await import("../env");
    env().ADMIN_EMAILS = [email];
    try {
      expect((await getUserById(user.id))?.role).toBe("ADMIN");
      const admin = await createUserWithPassword({ email: `x-${email}`, password: "a password" });
      expect(admin.role).toBe("USER");
    } finally {
      env().ADMIN_EMAILS = undefined;
    }
  });
});
