// Return pages (Checkout, the billing portal) arrive with parameters that say what to show once. After
// showing it, the page takes them out of the address, so a reload or a shared link shows nothing again.

/**
 * Removes these search parameters from the address bar, keeping any others and the hash. Call it after
 * the first commit (a setTimeout from an effect), once Next's router listens to history changes, so
 * that its later refreshes keep the cleaned address.
 */
export function forgetSearchParams(names: readonly string[]): void {
  const url = new URL(window.location.href);
  if (!names.some((name) => url.searchParams.has(name))) return;
  for (const name of names) url.searchParams.delete(name);
  window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}
