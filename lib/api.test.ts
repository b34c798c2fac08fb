import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse } from "./api";
import { InsufficientFundsError, NotFoundError } from "./errors";

describe("errorResponse", () => {
  it("maps domain errors to their status with the one JSON shape", async () => {
    const response = errorResponse(new InsufficientFundsError(120, "GBP"), "req-1"); // £1.20
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      error: { code: "insufficient_funds", message: "Your wallet balance is too low for this charge.", balanceMinor: 120, currency: "GBP" },
    });
    expect(errorResponse(new NotFoundError(), "req-2").status).toBe(404);
  });

  it("maps zod errors to 422 with the failing fields", async () => {
    const result = z.object({ amountMinor: z.number().int() }).safeParse({ amountMinor: 1.5 });
    const response = errorResponse(result.error, "req-3");
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: "validation_error", fields: { amountMinor: expect.any(Array) } } });
  });

  it("hides unexpected errors behind a request id", async () => {
    const response = errorResponse(new Error("connection string postgres://secret@db"), "req-4");
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side.", requestId: "req-4" } });
    expect(JSON.stringify(body)).not.toContain("secret");
  });
});
