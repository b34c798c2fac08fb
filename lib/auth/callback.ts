// Only same-site paths are accepted as post-sign-in targets, so a crafted link cannot bounce users elsewhere.
export function safeCallbackPath(raw: string | undefined, fallback = "/wallet"): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  return raw;
}
