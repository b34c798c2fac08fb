// Stripe-style ids: a resource prefix plus a random base62 tail, e.g. `cus_Q8x…`.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomBase62(length)}`;
}

/** A client secret looks like `<id>_secret_<random>` for payment intents and sessions. */
export function clientSecretFor(id: string): string {
  return `${id}_secret_${randomBase62(24)}`;
}
