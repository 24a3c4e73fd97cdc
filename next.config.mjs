/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keeps `next dev` from writing agent files into the repo.
  agentRules: false,
  experimental: { agentUpgrade: false },
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk at run time; make sure serverless bundles carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
};

export default nextConfig;
