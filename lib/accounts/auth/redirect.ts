import { appUrl } from "../../core/env";

/**
 * Resolves a user-supplied redirect target (`callbackUrl`, `return_to`) against APP_URL with the
 * WHATWG URL parser, which is what the browser will do with it, and accepts it only if it keeps
 * APP_URL's origin. That covers every trick string checks miss: `//host`, `/\host`, tabs and
 * newlines the parser strips (`/\t/host`), `javascript:`, absolute URLs. Returns a path
 * (with query and fragment) as the parser normalised it, or the fallback.
 *
 * The normalised path is checked again: removing dot segments can leave one that starts with `//`
 * (`/.//evil.example`, `/x/..//evil.example`, `/.\/evil.example`), and that path, sent back as a
 * Location, is a protocol-relative URL to another host.
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
  const path = `${target.pathname}${target.search}${target.hash}`;
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  // What the browser will do with the path we hand back must land on our origin too.
  if (new URL(path, base).origin !== base.origin) return fallback;
  return path;
}
