// Runs once when a Next.js server process starts. The Node.js part is imported only under that
// runtime, so the edge build never sees process.exit and Node-only modules.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNodeServer } = await import("@/lib/start-up/node-server");
    startNodeServer();
  }
}
