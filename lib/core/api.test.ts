import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse, route } from "./api";
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

// The wrapper every route handler goes through, with a handler that fails unexpectedly: the answer
// names the request id, which the logs carry too.
const failing = route(async () => {
  throw new Error("the database went away");
});

async function requestIdAnswered(requestId: string | undefined): Promise<string> {
  const response = await failing(new Request("http://localhost/api/x", { headers: requestId === undefined ? {} : { "x-request-id": requestId } }), { params: Promise.resolve({}) });
  expect(response.status).toBe(500);
  const body = (await response.json()) as { error: { requestId: string } };
  return body.error.requestId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("X-Request-Id", () => {
  it("keeps a short token a proxy sent, so the request can be followed through its logs", async () => {
    expect(await requestIdAnswered("req_01HZX3.abc-9")).toBe("req_01HZX3.abc-9");
    expect(await requestIdAnswered("a".repeat(64))).toBe("a".repeat(64));
  });

  it.each([
    ["too long", "a".repeat(65)],
    ["markup", "<script>alert(1)</script>"],
    ["a forged log field", 'x", "level":"info'],
    ["spaces", "two words"],
    ["an encoded newline", "id%0aforged"],
    ["empty", ""],
  ])("replaces %s with a fresh id, never echoing it", async (_name, given) => {
    const answered = await requestIdAnswered(given);
    expect(answered).not.toBe(given);
    expect(answered).toMatch(UUID);
  });

  it("makes one up when none was sent", async () => {
    expect(await requestIdAnswered(undefined)).toMatch(UUID);
  });
});
