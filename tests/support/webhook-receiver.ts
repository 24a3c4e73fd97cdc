import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server in front of a route handler export, so the emulator can deliver webhooks to
 * it over the network. Records how long each request took, from its first byte to the answer.
 */
export async function startHandlerServer(handler: (req: Request) => Response | Promise<Response>) {
  const durationsMs: number[] = [];
  const server = createServer(async (req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else value?.forEach((v) => headers.append(name, v));
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    try {
      const response = await handler(
        new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined }),
      );
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers)).end(body);
    } catch (err) {
      // Surfaced as a 500 the test will see; the handler itself must never get here.
      console.error("[test receiver] handler threw", err);
      res.writeHead(500).end();
    }
    durationsMs.push(performance.now() - started);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/intercom`,
    durationsMs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
