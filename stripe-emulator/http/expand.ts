// `expand[]=customer`, `expand[]=data.subscription`, `expand[]=latest_invoice.payments`:
// replaces ids with the objects they name, on a JSON copy of the response.
import type { Emulator } from "../emulator";
import { findById } from "../store";
import { invoicePaymentsList } from "../resources/invoices";
import { lineItemsList } from "../resources/checkout";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value));
}

/** Fields Stripe only includes when expanded (not ids): `line_items`, `payments`. */
function includable(emulator: Emulator, parent: JsonObject, field: string): Json | undefined {
  const id = parent.id;
  if (typeof id !== "string") return undefined;
  if (parent.object === "checkout.session" && field === "line_items") return toJson(lineItemsList(emulator, id, {}));
  if (parent.object === "invoice" && field === "payments") return toJson(invoicePaymentsList(emulator, id));
  return undefined;
}

function expandPath(emulator: Emulator, node: Json, path: string[]): Json {
  const [head, ...rest] = path;
  if (head === undefined) return node;
  if (Array.isArray(node)) return node.map((child) => expandPath(emulator, child, path));
  if (!isJsonObject(node)) return node;
  if (head === "data" && node.object === "list" && Array.isArray(node.data)) {
    node.data = node.data.map((child) => expandPath(emulator, child, rest));
    return node;
  }
  let value = node[head];
  if (typeof value === "string") {
    const found = findById(emulator.state, value);
    if (found) value = toJson(found);
  } else if (value === undefined) {
    value = includable(emulator, node, head);
  }
  if (value !== undefined) node[head] = expandPath(emulator, value, rest);
  return node;
}

export function applyExpansions(emulator: Emulator, body: object, paths: string[]): Json {
  let json = toJson(body);
  for (const path of paths) json = expandPath(emulator, json, path.split("."));
  return json;
}
