// Headers every response gets. The pages' Content-Security-Policy carries a per-request nonce, so
// proxy.ts sets it (lib/core/csp.ts); API responses get a fixed one here, since they load nothing.
const production = process.env.NODE_ENV === "production";

const everywhere = [
  // Clickjacking, for browsers that predate CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Other sites see our origin, never a path (which can hold ids or a callbackUrl).
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Production is served over https only; browsers ignore this header on plain http (local runs).
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: {
    // forbidden() from next/navigation: an admin page answers a USER with 403 and app/forbidden.tsx.
    authInterrupts: true,
    // Server actions get the same body limit as route handlers (lib/core/api.ts BODY_LIMIT_BYTES); Next
    // counts the bytes as they stream in and refuses past it. Its default is 1 MB.
    serverActions: { bodySizeLimit: "64kb" },
    // A page request passes proxy.ts, for which Next keeps a copy of the body in memory, up to 10 MB
    // by default, then cuts it short. Twice the action limit: a body the copy cut is still over the
    // action's limit, so the action refuses it rather than reading a truncated form.
    proxyClientMaxBodySize: "128kb",
  },
  // Native and server-only packages stay as Node requires instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg"],
  // Migration files are read at run time by /api/health.
  outputFileTracingIncludes: { "/api/health": ["./prisma/migrations/**/*"] },
  // The admin's list of ledger entries was "Transactions" (docs/glossary.md): old links and bookmarks
  // land on the new page, their query string (the filter) carried over as Next does for every redirect.
  async redirects() {
    return [{ source: "/admin/transactions", destination: "/admin/entries", permanent: true }]; // old name, kept
  },
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
