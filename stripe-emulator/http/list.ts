// Stripe list objects: newest first, `limit` (1–100, default 10), `starting_after` /
// `ending_before` cursors and `has_more`.
import { invalidParam, noSuchObject } from "./errors";
import type { FormObject } from "./form";
import { optionalInteger, optionalString } from "./params";

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

export function listPage<T extends { id: string }>(
  itemsOldestFirst: readonly T[],
  params: FormObject,
  url: string,
): ListObject<T> {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100 (it currently is " + limit + ").");
  const newestFirst = [...itemsOldestFirst].reverse();
  const startingAfter = optionalString(params, "starting_after");
  const endingBefore = optionalString(params, "ending_before");
  if (startingAfter) {
    const index = newestFirst.findIndex((item) => item.id === startingAfter);
    if (index === -1) throw noSuchObject("object", startingAfter, "starting_after");
    const rest = newestFirst.slice(index + 1);
    return { object: "list", data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (endingBefore) {
    const index = newestFirst.findIndex((item) => item.id === endingBefore);
    if (index === -1) throw noSuchObject("object", endingBefore, "ending_before");
    const before = newestFirst.slice(0, index);
    return { object: "list", data: before.slice(-limit), has_more: before.length > limit, url };
  }
  return { object: "list", data: newestFirst.slice(0, limit), has_more: newestFirst.length > limit, url };
}

/** Filter on `created[gte]` etc. and on equality filters the caller supplies. */
export function createdFilter(params: FormObject): (created: number) => boolean {
  const created = params.created;
  if (created === undefined) return () => true;
  if (typeof created === "string") {
    const exact = Number(created);
    return (value) => value === exact;
  }
  if (Array.isArray(created)) return () => true;
  const bound = (key: string) => {
    const raw = created[key];
    return typeof raw === "string" ? Number(raw) : undefined;
  };
  const gt = bound("gt"), gte = bound("gte"), lt = bound("lt"), lte = bound("lte");
  return (value) =>
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte);
}
