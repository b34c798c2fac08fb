// Typed readers over parsed form params, raising Stripe-shaped 400s for bad values.
import type Stripe from "stripe";
import { invalidParam, missingParam } from "./errors";
import { isFormObject, type FormObject, type FormValue } from "./form";

export function optionalString(params: FormObject, key: string, path = key): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(path, `Invalid string: ${path}`);
  return value;
}

export function requiredString(params: FormObject, key: string, path = key): string {
  const value = optionalString(params, key, path);
  if (value === undefined || value === "") throw missingParam(path);
  return value;
}

export function optionalInteger(params: FormObject, key: string, path = key): number | undefined {
  const raw = optionalString(params, key, path);
  if (raw === undefined || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(path, `Invalid integer: ${raw}`, "parameter_invalid_integer");
  return Number(raw);
}

export function requiredInteger(params: FormObject, key: string, path = key): number {
  const value = optionalInteger(params, key, path);
  if (value === undefined) throw missingParam(path);
  return value;
}

export function optionalBoolean(params: FormObject, key: string, path = key): boolean | undefined {
  const raw = optionalString(params, key, path);
  if (raw === undefined) return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalidParam(path, `Invalid boolean: ${raw}`);
}

export function optionalObject(params: FormObject, key: string, path = key): FormObject | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (!isFormObject(value)) throw invalidParam(path, `Invalid object: ${path}`);
  return value;
}

export function optionalArray(params: FormObject, key: string, path = key): FormValue[] | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (!Array.isArray(value)) throw invalidParam(path, `Invalid array: ${path}`);
  return value;
}

export function stringArray(params: FormObject, key: string, path = key): string[] {
  const values = optionalArray(params, key, path) ?? [];
  return values.map((value, index) => {
    if (typeof value !== "string") throw invalidParam(`${path}[${index}]`, `Invalid string: ${path}[${index}]`);
    return value;
  });
}

export function objectArray(params: FormObject, key: string, path = key): FormObject[] {
  const values = optionalArray(params, key, path) ?? [];
  return values.map((value, index) => {
    if (!isFormObject(value)) throw invalidParam(`${path}[${index}]`, `Invalid object: ${path}[${index}]`);
    return value;
  });
}

export function optionalEnum<T extends string>(params: FormObject, key: string, allowed: readonly T[], path = key): T | undefined {
  const raw = optionalString(params, key, path);
  if (raw === undefined || raw === "") return undefined;
  const match = allowed.find((candidate) => candidate === raw);
  if (match === undefined) {
    throw invalidParam(path, `Invalid ${path}: must be one of ${allowed.join(", ")}`, "parameter_invalid_string");
  }
  return match;
}

/** `metadata[key]=value` merges; `metadata[key]=` deletes a key; `metadata=` clears all. */
export function mergeMetadata(current: Stripe.Metadata | null, params: FormObject): Stripe.Metadata {
  const raw = params.metadata;
  const merged: Stripe.Metadata = { ...(current ?? {}) };
  if (raw === undefined) return merged;
  if (raw === "") return {};
  if (!isFormObject(raw)) throw invalidParam("metadata", "Invalid object: metadata");
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") throw invalidParam(`metadata[${key}]`, "Metadata values must be strings");
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** `description=` unsets a nullable string. */
export function nullableString(params: FormObject, key: string, current: string | null): string | null {
  const value = optionalString(params, key);
  if (value === undefined) return current;
  return value === "" ? null : value;
}

/**
 * The payment method types a session or intent offers: `allowed_payment_method_types` (the current API's filter on
 * dynamic payment methods), else the older `payment_method_types` (the CLI's fixtures still send it), else cards.
 */
export function paymentMethodTypesFrom(params: FormObject): { allowed: string[] | null; types: string[] } {
  const allowed = stringArray(params, "allowed_payment_method_types");
  const legacy = stringArray(params, "payment_method_types");
  const types = allowed.length > 0 ? allowed : legacy.length > 0 ? legacy : ["card"];
  return { allowed: allowed.length > 0 ? allowed : null, types };
}

export function expandPaths(params: FormObject): string[] {
  return stringArray(params, "expand");
}
