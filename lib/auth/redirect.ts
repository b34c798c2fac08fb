import { appUrl } from "../env";

/**
 * Resolves a user-supplied redirect target (`callbackUrl`, `return_to`) against APP_URL with the
 * WHATWG URL parser, which is what the browser will do with it, and accepts it only if it keeps
 * APP_URL's origin. That covers every trick string checks miss: `//host`, `/\host`, tabs and
 * newlines the parser strips (`/\t/host`), `javascript:`, absolute URLs. Returns a path
 * (with query and fragment) as the parser normalised it, or the fallback.
 */
export function safeRedirectPath(raw: string | null | undefined, fallback = "/wallet"): string {
  if (!raw) return fallback;
  const base = new URL(`${appUrl()}/`);
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
