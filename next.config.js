/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and server-only packages stay as Node requires instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg"],
  // Migration files are read at run time by /api/health.
  outputFileTracingIncludes: { "/api/health": ["./prisma/migrations/**/*"] },
};

export default nextConfig;
