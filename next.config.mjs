/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keeps `next dev` from writing agent files into the repo.
  agentRules: false,
  // The dev-mode badge covers the sidebar footer (sign out).
  devIndicators: false,
  // Subscriber CSV imports go through a server action, as a file of at most MAX_IMPORT_BYTES
  // (4 MB, lib/subscribers/import-limits.ts); the extra megabyte is room for the multipart
  // envelope, so a file just over 4 MB still reaches the action and gets its explanation.
  experimental: { agentUpgrade: false, serverActions: { bodySizeLimit: "5mb" } },
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk at run time; make sure serverless bundles carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
};

export default nextConfig;
