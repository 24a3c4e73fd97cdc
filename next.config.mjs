/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keeps `next dev` from writing agent files into the repo.
  agentRules: false,
  // The dev-mode badge covers the sidebar footer (sign out).
  devIndicators: false,
  // Subscriber CSV imports (up to 10,000 rows) go through a server action.
  experimental: { agentUpgrade: false, serverActions: { bodySizeLimit: "4mb" } },
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk at run time; make sure serverless bundles carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
};

export default nextConfig;
