// customers.search and a deleted customer, through the real SDK: search finds by Stripe's query language
// (email, name, metadata, AND / OR), pages with `next_page`, and never finds a deleted customer; a deleted
// customer is still retrievable (200, `deleted: true`) while every other call says there is no such customer.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../index";
import { expectStripeError, startTestEmulator } from "../testing";

let emulator: RunningEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emulator, stripe } = await startTestEmulator());
});
afterAll(async () => {
  await emulator.close();
});

const ids = (result: Stripe.ApiSearchResult<Stripe.Customer>) => result.data.map((customer) => customer.id);

describe("customers.search", () => {
  it("finds by email, name and metadata, joined by AND or OR, newest first, as a search_result", async () => {
    const ada = await stripe.customers.create({ email: "ada@search.test", name: "Ada Lovelace", metadata: { billfoldUserId: "u_ada", tier: "gold" } });
    const alan = await stripe.customers.create({ email: "alan@search.test", name: "Alan Turing", metadata: { billfoldUserId: "u_alan", tier: "gold" } });
    await stripe.customers.create({ email: "grace@search.test", name: "Grace Hopper", metadata: { tier: "silver" } });

    const byEmail = await stripe.customers.search({ query: "email:'ada@search.test'" });
    expect(byEmail).toMatchObject({ object: "search_result", url: "/v1/customers/search", has_more: false, next_page: null });
    expect(ids(byEmail)).toEqual([ada.id]);
    expect(ids(await stripe.customers.search({ query: "email:'ADA@search.test'" }))).toEqual([ada.id]);
    expect(ids(await stripe.customers.search({ query: "metadata['billfoldUserId']:'u_alan'" }))).toEqual([alan.id]);
    expect(ids(await stripe.customers.search({ query: 'name:"Alan Turing"' }))).toEqual([alan.id]);
    expect(ids(await stripe.customers.search({ query: "metadata['tier']:'gold' AND name~'Lovelace'" }))).toEqual([ada.id]);
    expect(ids(await stripe.customers.search({ query: "email:'ada@search.test' OR email:'alan@search.test'" }))).toEqual([alan.id, ada.id]);
    expect(ids(await stripe.customers.search({ query: "metadata['tier']:'gold' AND -name:'Ada Lovelace'" }))).toEqual([alan.id]);
    expect(ids(await stripe.customers.search({ query: "email:'nobody@search.test'" }))).toEqual([]);
  });

  it("pages with next_page until has_more is false", async () => {
    const made: string[] = [];
    for (let index = 0; index < 3; index++) made.push((await stripe.customers.create({ metadata: { batch: "paging" } })).id);
    const first = await stripe.customers.search({ query: "metadata['batch']:'paging'", limit: 2 });
    expect(first).toMatchObject({ has_more: true });
    expect(first.next_page).toEqual(expect.any(String));
    const second = await stripe.customers.search({ query: "metadata['batch']:'paging'", limit: 2, page: first.next_page ?? "" });
    expect(second).toMatchObject({ has_more: false, next_page: null });
    expect([...ids(first), ...ids(second)]).toEqual([...made].reverse());
  });

  it("refuses a query it cannot parse, or one that mixes AND and OR, with a 400 on `query`", async () => {
    for (const query of ["email=ada", "email:'a' AND name:'b' OR name:'c'", "colour:'red'"]) {
      const error = await expectStripeError(stripe.customers.search({ query }));
      expect(error).toMatchObject({ statusCode: 400, param: "query" });
    }
  });
});

describe("a deleted customer", () => {
  it("is retrieved as { id, object: customer, deleted: true }; updates, deletes and searches no longer find it", async () => {
    const customer = await stripe.customers.create({ email: "gone@search.test" });
    expect(await stripe.customers.del(customer.id)).toEqual({ id: customer.id, object: "customer", deleted: true });

    const retrieved = await stripe.customers.retrieve(customer.id);
    expect(retrieved).toEqual({ id: customer.id, object: "customer", deleted: true });
    expect(retrieved.lastResponse.statusCode).toBe(200);

    expect(await expectStripeError(stripe.customers.update(customer.id, { name: "Back" }))).toMatchObject({ statusCode: 404, code: "resource_missing" });
    expect(await expectStripeError(stripe.customers.del(customer.id))).toMatchObject({ statusCode: 404, code: "resource_missing" });
    expect(ids(await stripe.customers.search({ query: "email:'gone@search.test'" }))).toEqual([]);
    expect((await stripe.customers.list({ email: "gone@search.test" })).data).toEqual([]);
  });

  it("an id that never existed is still a 404", async () => {
    expect(await expectStripeError(stripe.customers.retrieve("cus_neverWasHere"))).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});
