// Products and prices, including `lookup_key` and `prices?lookup_keys[]=` lookups that
// the app uses to map plans and credit packs to Stripe prices.
import Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, noSuchObject } from "../http/errors";
import type { FormObject } from "../http/form";
import { newId } from "../http/ids";
import { createdFilter, listPage } from "../http/list";
import {
  mergeMetadata,
  nullableString,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
  stringArray,
} from "../http/params";
import { pathParam, route, type ApiRequest, type Route } from "../http/router";
import { changedAttributes } from "./customers";

export function requireProduct(emulator: Emulator, id: string, param = "id"): Stripe.Product {
  const product = emulator.state.products[id];
  if (!product) throw noSuchObject("product", id, param);
  return product;
}

export function requirePrice(emulator: Emulator, id: string, param = "id"): Stripe.Price {
  const price = emulator.state.prices[id];
  if (!price) throw noSuchObject("price", id, param);
  return price;
}

export function createProductRecord(emulator: Emulator, name: string, params: FormObject, request: ApiRequest): Stripe.Product {
  const now = emulator.now();
  const product = {
    id: newId("prod", 14),
    object: "product",
    active: optionalBoolean(params, "active") ?? true,
    created: now,
    default_price: null,
    description: optionalString(params, "description") ?? null,
    images: stringArray(params, "images"),
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata(null, params),
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: now,
    url: null,
  } satisfies Stripe.Product;
  emulator.state.products[product.id] = product;
  emulator.emit("product.created", product, request.context);
  return product;
}

function createProduct(emulator: Emulator, request: ApiRequest): Stripe.Product {
  const product = createProductRecord(emulator, requiredString(request.params, "name"), request.params, request);
  const id = optionalString(request.params, "id");
  if (id) {
    delete emulator.state.products[product.id];
    product.id = id;
    emulator.state.products[id] = product;
  }
  const defaultPriceData = optionalObject(request.params, "default_price_data");
  if (defaultPriceData) {
    const price = createPriceRecord(emulator, product.id, defaultPriceData, "default_price_data", request);
    product.default_price = price.id;
  }
  return product;
}

function updateProduct(emulator: Emulator, request: ApiRequest): Stripe.Product {
  const product = requireProduct(emulator, pathParam(request, "id"));
  const before = { ...product };
  const params = request.params;
  product.name = optionalString(params, "name") ?? product.name;
  product.description = nullableString(params, "description", product.description);
  product.active = optionalBoolean(params, "active") ?? product.active;
  product.metadata = mergeMetadata(product.metadata, params);
  const defaultPrice = optionalString(params, "default_price");
  if (defaultPrice !== undefined) product.default_price = defaultPrice === "" ? null : requirePrice(emulator, defaultPrice, "default_price").id;
  product.updated = emulator.now();
  emulator.emit("product.updated", product, request.context, changedAttributes(before, product));
  return product;
}

/** Builds a price from `unit_amount`, `currency`, `recurring[...]` params (also used for `price_data`). */
export function createPriceRecord(
  emulator: Emulator,
  productId: string,
  params: FormObject,
  prefix: string,
  request: ApiRequest,
): Stripe.Price {
  const path = (key: string) => (prefix ? `${prefix}[${key}]` : key);
  const currency = requiredString(params, "currency", path("currency")).toLowerCase();
  const unitAmount = optionalInteger(params, "unit_amount", path("unit_amount"));
  if (unitAmount === undefined) throw invalidParam(path("unit_amount"), `Missing required param: ${path("unit_amount")}.`, "parameter_missing");
  if (unitAmount < 0) throw invalidParam(path("unit_amount"), "This value must be greater than or equal to 0.");
  const recurringParams = optionalObject(params, "recurring", path("recurring"));
  let recurring: Stripe.Price.Recurring | null = null;
  if (recurringParams) {
    recurring = {
      interval: optionalEnum(recurringParams, "interval", ["day", "week", "month", "year"], path("recurring][interval")) ?? "month",
      interval_count: optionalInteger(recurringParams, "interval_count") ?? 1,
      meter: null,
      trial_period_days: null,
      usage_type: "licensed",
    };
  }
  const lookupKey = optionalString(params, "lookup_key") ?? null;
  if (lookupKey) {
    const holder = Object.values(emulator.state.prices).find((price) => price.lookup_key === lookupKey);
    if (holder) {
      if (optionalBoolean(params, "transfer_lookup_key") !== true) {
        throw invalidParam(
          "lookup_key",
          `A price (\`${holder.id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move it to this price.`,
          "lookup_key_already_exists",
        );
      }
      holder.lookup_key = null;
    }
  }
  const price = {
    id: newId("price", 24),
    object: "price",
    active: optionalBoolean(params, "active") ?? true,
    billing_scheme: "per_unit",
    created: emulator.now(),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: mergeMetadata(null, params),
    nickname: optionalString(params, "nickname") ?? null,
    product: productId,
    recurring,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? "recurring" : "one_time",
    unit_amount: unitAmount,
    unit_amount_decimal: Stripe.Decimal.from(unitAmount),
  } satisfies Stripe.Price;
  emulator.state.prices[price.id] = price;
  emulator.emit("price.created", price, request.context);
  return price;
}

function createPrice(emulator: Emulator, request: ApiRequest): Stripe.Price {
  const params = request.params;
  const productId = optionalString(params, "product");
  const productData = optionalObject(params, "product_data");
  let product: Stripe.Product;
  if (productId) product = requireProduct(emulator, productId, "product");
  else if (productData) product = createProductRecord(emulator, requiredString(productData, "name", "product_data[name]"), productData, request);
  else throw invalidParam("product", "Missing required param: product.", "parameter_missing");
  return createPriceRecord(emulator, product.id, params, "", request);
}

function updatePrice(emulator: Emulator, request: ApiRequest): Stripe.Price {
  const price = requirePrice(emulator, pathParam(request, "id"));
  const before = { ...price };
  const params = request.params;
  price.active = optionalBoolean(params, "active") ?? price.active;
  price.nickname = nullableString(params, "nickname", price.nickname);
  price.metadata = mergeMetadata(price.metadata, params);
  const lookupKey = optionalString(params, "lookup_key");
  if (lookupKey !== undefined) {
    const holder = Object.values(emulator.state.prices).find((other) => other.lookup_key === lookupKey && other.id !== price.id);
    if (holder && lookupKey !== "") {
      if (optionalBoolean(params, "transfer_lookup_key") !== true) {
        throw invalidParam("lookup_key", `A price (\`${holder.id}\`) already uses that lookup key.`, "lookup_key_already_exists");
      }
      holder.lookup_key = null;
    }
    price.lookup_key = lookupKey === "" ? null : lookupKey;
  }
  emulator.emit("price.updated", price, request.context, changedAttributes(before, price));
  return price;
}

function listPrices(emulator: Emulator, request: ApiRequest) {
  const params = request.params;
  const lookupKeys = stringArray(params, "lookup_keys");
  const active = optionalBoolean(params, "active");
  const product = optionalString(params, "product");
  const type = optionalString(params, "type");
  const currency = optionalString(params, "currency");
  const inRange = createdFilter(params);
  const items = Object.values(emulator.state.prices).filter(
    (price) =>
      (lookupKeys.length === 0 || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))) &&
      (active === undefined || price.active === active) &&
      (!product || price.product === product) &&
      (!type || price.type === type) &&
      (!currency || price.currency === currency) &&
      inRange(price.created),
  );
  return listPage(items, params, "/v1/prices");
}

export const catalogRoutes: Route[] = [
  route("POST", "/v1/products", createProduct),
  route("GET", "/v1/products/:id", (emulator, request) => requireProduct(emulator, pathParam(request, "id"))),
  route("POST", "/v1/products/:id", updateProduct),
  route("GET", "/v1/products", (emulator, request) => {
    const active = optionalBoolean(request.params, "active");
    const items = Object.values(emulator.state.products).filter((product) => active === undefined || product.active === active);
    return listPage(items, request.params, "/v1/products");
  }),
  route("DELETE", "/v1/products/:id", (emulator, request) => {
    const product = requireProduct(emulator, pathParam(request, "id"));
    delete emulator.state.products[product.id];
    emulator.emit("product.deleted", product, request.context);
    return { id: product.id, object: "product", deleted: true } satisfies Stripe.DeletedProduct;
  }),
  route("POST", "/v1/prices", createPrice),
  route("GET", "/v1/prices/:id", (emulator, request) => requirePrice(emulator, pathParam(request, "id"))),
  route("POST", "/v1/prices/:id", updatePrice),
  route("GET", "/v1/prices", listPrices),
];
