// Stripe's wire format: form-encoded bodies and query strings with bracket notation
// (`line_items[0][price]=price_1`, `metadata[userId]=42`, `expand[]=customer`).
// Parsed into plain nested objects and arrays whose leaves are strings.

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

function splitKey(rawKey: string): string[] {
  const firstBracket = rawKey.indexOf("[");
  if (firstBracket === -1) return [rawKey];
  const segments = [rawKey.slice(0, firstBracket)];
  const rest = rawKey.slice(firstBracket);
  for (const match of rest.matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? "");
  return segments;
}

function isFormObject(value: FormValue | undefined): value is FormObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects whose keys are all array indices (`items[0]`, `items[1]`) become arrays. */
function normaliseArrays(value: FormValue): FormValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(normaliseArrays);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => normaliseArrays(value[key] ?? ""));
  }
  const out: FormObject = {};
  for (const key of keys) {
    const child = value[key];
    if (child !== undefined) out[key] = normaliseArrays(child);
  }
  return out;
}

export function parseForm(encoded: string): FormObject {
  const root: FormObject = {};
  const appendCounters = new Map<FormObject, number>();
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const segments = splitKey(rawKey);
    let node: FormObject = root;
    segments.forEach((segment, index) => {
      // `[]` appends: give it the next numeric index so normaliseArrays turns it into an array.
      let key = segment;
      if (segment === "" && index > 0) {
        const next = appendCounters.get(node) ?? Object.keys(node).length;
        appendCounters.set(node, next + 1);
        key = String(next);
      }
      const isLast = index === segments.length - 1;
      if (isLast) {
        node[key] = value;
        return;
      }
      const existing = node[key];
      if (isFormObject(existing)) {
        node = existing;
      } else {
        const child: FormObject = {};
        node[key] = child;
        node = child;
      }
    });
  }
  const normalised = normaliseArrays(root);
  return isFormObject(normalised) ? normalised : {};
}

export { isFormObject };
