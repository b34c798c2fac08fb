import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InsufficientFundsError } from "../core/errors";
import { hasBearerSecret, publicAction } from "./guards";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const schema = z.object({ email: z.email("Enter a valid email address."), password: z.string().min(8, "Too short.") });

describe("publicAction", () => {
  it("returns field errors and keeps what was typed, except secrets", async () => {
    const action = publicAction(schema, async () => ({ message: "ran" }));
    const state = await action({}, form({ email: "not-an-email", password: "short" }));
    expect(state.message).toBeUndefined();
    expect(state.code).toBe("validation_error");
    expect(state.fieldErrors?.email).toEqual(["Enter a valid email address."]);
    expect(state.fieldErrors?.password).toEqual(["Too short."]);
    expect(state.values).toEqual({ email: "not-an-email" });
  });

  it("passes parsed input to the action", async () => {
    const action = publicAction(schema, async (input) => ({ message: `hello ${input.email}` }));
    expect(await action({}, form({ email: "a@example.test", password: "long enough" }))).toEqual({ message: "hello a@example.test" });
  });

  it("maps domain errors through the one error map", async () => {
    const action = publicAction(schema, async () => {
      throw new InsufficientFundsError(120, "GBP"); // £1.20
    });
    const state = await action({}, form({ email: "a@example.test", password: "long enough" }));
    expect(state).toMatchObject({ error: "Your wallet balance is too low for this charge.", code: "insufficient_funds" });
  });

  it("hides unexpected errors behind the action's failure message", async () => {
    const action = publicAction(schema, async () => {
      throw new Error("connection string postgres://secret@db");
    }, { failureMessage: "Nothing was charged." });
    const state = await action({}, form({ email: "a@example.test", password: "long enough" }));
    expect(state).toMatchObject({ error: "Nothing was charged.", code: "internal_error" });
    expect(JSON.stringify(state)).not.toContain("secret");
  });

  it("lets Next's redirect through", async () => {
    const action = publicAction(schema, async () => redirect("/wallet"));
    await expect(action({}, form({ email: "a@example.test", password: "long enough" }))).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });
});

describe("hasBearerSecret", () => {
  const request = (authorization?: string) => new Request("http://localhost/api/cron", { headers: authorization ? { authorization } : {} });
  it("accepts only the exact bearer token", () => {
    expect(hasBearerSecret(request("Bearer s3cret-token-0123456789"), "s3cret-token-0123456789")).toBe(true);
    expect(hasBearerSecret(request("Bearer s3cret-token-012345678"), "s3cret-token-0123456789")).toBe(false);
    expect(hasBearerSecret(request("s3cret-token-0123456789"), "s3cret-token-0123456789")).toBe(false);
    expect(hasBearerSecret(request(), "s3cret-token-0123456789")).toBe(false);
  });
});
