import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { env } from "@/lib/env";
import { cronMatches, parseCron } from "./schedule";

const vercelJsonSchema = z.object({
  crons: z.array(z.object({ path: z.string().startsWith("/"), schedule: z.string() })).default([]),
});

const startedKey = Symbol.for("holdfast.localCron");

/**
 * Off Vercel, nothing calls the crons in vercel.json, so the app calls its own endpoints on the
 * same schedule, with the same secret. Several processes doing this is safe: each sync takes a
 * lease in the database and deliveries are claimed with row locks.
 */
export function startLocalCron(): void {
  const g = globalThis as { [startedKey]?: boolean };
  if (g[startedKey] || env().LOCAL_CRON !== "on") return;
  g[startedKey] = true;
  const config = vercelJsonSchema.parse(JSON.parse(readFileSync(path.join(process.cwd(), "vercel.json"), "utf8")));
  const jobs = config.crons.map((c) => ({ path: c.path, schedule: parseCron(c.schedule) }));
  const tick = () => {
    const now = new Date();
    for (const job of jobs) if (cronMatches(job.schedule, now)) void call(job.path);
  };
  // Align to the start of each minute, like a cron daemon.
  setTimeout(() => {
    tick();
    setInterval(tick, 60_000).unref();
  }, 60_000 - (Date.now() % 60_000)).unref();
  console.log(`[local-cron] running ${jobs.length} job(s) from vercel.json`);
}

async function call(jobPath: string) {
  const { APP_URL, CRON_SECRET } = env();
  try {
    const res = await fetch(new URL(jobPath, APP_URL), {
      headers: { Authorization: `Bearer ${CRON_SECRET}` },
      signal: AbortSignal.timeout(300_000),
    });
    if (!res.ok) console.warn(`[local-cron] ${jobPath} answered ${res.status}`);
  } catch (err) {
    console.warn(`[local-cron] ${jobPath} failed: ${(err as Error).message}`);
  }
}
