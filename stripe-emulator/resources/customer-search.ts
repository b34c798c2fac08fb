// GET /v1/customers/search: Stripe's search query language over the customers, answered as a
// `search_result` list (newest first, `limit`, `page` tokens from `next_page`). Supported clauses are
// those of Stripe's customer query fields: `email`, `name`, `phone` (exact `:` or substring `~`),
// `metadata['key']:'value'`, `created` (`:`, `>`, `<`, `>=`, `<=`), each negatable with `-`, joined by
// `AND` or by `OR` (Stripe refuses a query that mixes the two). Deleted customers are never found.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam } from "../http/errors";
import { expandPaths, optionalInteger, optionalString, requiredString } from "../http/params";
import { route, type ApiRequest, type Route } from "../http/router";

type Comparison = ":" | "~" | ">" | "<" | ">=" | "<=";

interface Clause {
  negated: boolean;
  field: "email" | "name" | "phone" | "created" | "metadata";
  metadataKey: string | null;
  comparison: Comparison;
  value: string;
}

const STRING_FIELDS = new Set(["email", "name", "phone"]);

function queryError(message: string): never {
  throw invalidParam("query", message, "parameter_invalid");
}

/** One clause: `[-]field<op>value`, the value quoted (strings) or bare (numbers). */
const CLAUSE = /^\s*(-?)(email|name|phone|created|metadata\[(?:'([^']*)'|"([^"]*)")\])\s*(>=|<=|:|~|>|<)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+))\s*/;

export function parseSearchQuery(query: string): { join: "AND" | "OR"; clauses: Clause[] } {
  const clauses: Clause[] = [];
  const joins = new Set<"AND" | "OR">();
  let rest = query;
  while (true) {
    const match = CLAUSE.exec(rest);
    if (!match) queryError(`Invalid search query: could not parse \`${rest.trim() || query}\`.`);
    const [whole, negation, fieldText = "", singleKey, doubleKey, operator = ":", singleValue, doubleValue, numberValue] = match;
    const isMetadata = fieldText.startsWith("metadata");
    const field = isMetadata ? "metadata" : fieldText;
    if (field !== "email" && field !== "name" && field !== "phone" && field !== "created" && field !== "metadata") queryError(`Unsupported search field: ${fieldText}.`);
    const stringValue = singleValue ?? doubleValue;
    const comparison = operator === ":" || operator === "~" || operator === ">" || operator === "<" || operator === ">=" || operator === "<=" ? operator : ":";
    if (field === "created") {
      if (numberValue === undefined || comparison === "~") queryError("The field `created` takes a number: created>1700000000.");
    } else {
      if (stringValue === undefined) queryError(`The field \`${fieldText}\` takes a quoted string: ${fieldText}:'value'.`);
      if (comparison !== ":" && comparison !== "~") queryError(`The field \`${fieldText}\` only supports \`:\` and \`~\`.`);
      if (comparison === "~" && (!STRING_FIELDS.has(field) || stringValue.length < 3)) queryError("A substring match (`~`) needs a string field and at least 3 characters.");
    }
    clauses.push({
      negated: negation === "-",
      field,
      metadataKey: isMetadata ? (singleKey ?? doubleKey ?? "") : null,
      comparison,
      value: (stringValue ?? numberValue ?? "").replace(/\\(.)/g, "$1"),
    });
    rest = rest.slice(whole.length);
    if (rest.trim() === "") break;
    const joiner = /^(AND|OR)\s+/.exec(rest);
    if (!joiner?.[1]) queryError(`Invalid search query: expected AND or OR before \`${rest.trim()}\`.`);
    joins.add(joiner[1] === "AND" ? "AND" : "OR");
    rest = rest.slice(joiner[0].length);
  }
  if (joins.size > 1) queryError("A search query cannot combine AND and OR; use one of them.");
  if (clauses.length > 10) queryError("A search query can have at most 10 clauses.");
  return { join: joins.has("OR") ? "OR" : "AND", clauses };
}

function matches(customer: Stripe.Customer, clause: Clause): boolean {
  const result = (() => {
    if (clause.field === "created") {
      const wanted = Number(clause.value);
      switch (clause.comparison) {
        case ">":
          return customer.created > wanted;
        case "<":
          return customer.created < wanted;
        case ">=":
          return customer.created >= wanted;
        case "<=":
          return customer.created <= wanted;
        default:
          return customer.created === wanted;
      }
    }
    const actual = clause.field === "metadata" ? (customer.metadata[clause.metadataKey ?? ""] ?? null) : (customer[clause.field] ?? null);
    if (actual === null) return false;
    // Stripe's search matches strings case-insensitively.
    const [have, want] = [actual.toLowerCase(), clause.value.toLowerCase()];
    return clause.comparison === "~" ? have.includes(want) : have === want;
  })();
  return clause.negated ? !result : result;
}

function searchCustomers(emulator: Emulator, request: ApiRequest): Stripe.ApiSearchResult<Stripe.Customer> {
  const { join, clauses } = parseSearchQuery(requiredString(request.params, "query"));
  const limit = optionalInteger(request.params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", `This value must be between 1 and 100 (it currently is ${limit}).`);
  // The page token is the offset into the newest-first results, opaque to callers as Stripe's is.
  const page = optionalString(request.params, "page");
  const offset = page === undefined ? 0 : Number.parseInt(Buffer.from(page, "base64url").toString("utf8"), 10);
  if (!Number.isInteger(offset) || offset < 0) throw invalidParam("page", "Invalid page token.");
  const found = Object.values(emulator.state.customers)
    .filter((customer) => (join === "AND" ? clauses.every((clause) => matches(customer, clause)) : clauses.some((clause) => matches(customer, clause))))
    .reverse();
  const data = found.slice(offset, offset + limit);
  const hasMore = found.length > offset + limit;
  return {
    object: "search_result",
    data,
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(String(offset + limit)).toString("base64url") : null,
    url: "/v1/customers/search",
    ...(expandPaths(request.params).includes("total_count") ? { total_count: found.length } : {}),
  };
}

export const customerSearchRoute: Route = route("GET", "/v1/customers/search", searchCustomers);
