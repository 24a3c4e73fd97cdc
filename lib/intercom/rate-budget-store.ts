import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { intercomRateLimits } from "@/db/schema";
import {
  holdForWindow,
  mergeWindows,
  reserveFor,
  windowFromObservation,
  type RateBudget,
  type RateWindow,
} from "./rate-budget";

// The database row is how processes (cron sync, write-back, webhook workers) learn of each
// other's spending. Reading and writing it on every call would double the cost of a call, so:
// read at most every REFRESH_MS (and whenever our view of the window has ended), write every
// WRITE_EVERY answers, every answer once the window is low, and on every 429. Between
// those, each process follows the headers of its own answers, which already count everyone.
const REFRESH_MS = 1_000;
const WRITE_EVERY = 50;

interface SharedState {
  window: RateWindow | null;
  readAt: number;
  answersSinceWrite: number;
}

export interface SharedBudgetOptions {
  refreshMs?: number;
  writeEvery?: number;
}

const perProcess = new Map<string, RateBudget>();

/**
 * The workspace's budget as every Intercom client in this process shares it (sync, write-back,
 * mapping editors). Never use a client inside `db.transaction`: the budget queries the database.
 */
export function workspaceRateBudget(workspaceId: string): RateBudget {
  let budget = perProcess.get(workspaceId);
  if (!budget) {
    budget = createSharedRateBudget(workspaceId);
    perProcess.set(workspaceId, budget);
  }
  return budget;
}

/** A budget with its own memory that shares the window with others only through the database. */
export function createSharedRateBudget(workspaceId: string, opts: SharedBudgetOptions = {}): RateBudget {
  const refreshMs = opts.refreshMs ?? REFRESH_MS;
  const writeEvery = opts.writeEvery ?? WRITE_EVERY;
  const state: SharedState = { window: null, readAt: 0, answersSinceWrite: 0 };

  async function refresh(now: number) {
    const stale = now - state.readAt >= refreshMs || !state.window || state.window.resetAt <= now;
    if (!stale) return;
    state.readAt = now;
    const stored = await readWindow(workspaceId);
    state.window = mergeWindows(state.window, stored, now);
  }

  return {
    async acquire(sleep) {
      await guarded(() => refresh(Date.now()));
      return holdForWindow(state, sleep);
    },
    async observe(obs) {
      const now = Date.now();
      const seen = windowFromObservation(obs, now);
      state.window = mergeWindows(state.window, seen, now);
      if (!seen) return;
      state.answersSinceWrite++;
      // Near the end of a window every answer is written: that is when another process's next
      // request decides between sending and waiting.
      const low = seen.remaining <= 2 * reserveFor(seen.limit);
      if (obs.status !== 429 && !low && state.answersSinceWrite < writeEvery) return;
      state.answersSinceWrite = 0;
      const merged = state.window ?? seen;
      await guarded(() => writeWindow(workspaceId, merged));
    },
  };
}

async function readWindow(workspaceId: string): Promise<RateWindow | null> {
  const db = await getDb();
  const [row] = await db.select().from(intercomRateLimits).where(eq(intercomRateLimits.workspaceId, workspaceId));
  if (!row || row.remaining === null || !row.resetAt) return null;
  return { limit: row.limitPerWindow, remaining: row.remaining, resetAt: row.resetAt.getTime() };
}

/** Same merge as in memory, done by the database so concurrent writers cannot undo each other. */
async function writeWindow(workspaceId: string, w: RateWindow) {
  const db = await getDb();
  const t = intercomRateLimits;
  await db
    .insert(t)
    .values({ workspaceId, limitPerWindow: w.limit, remaining: w.remaining, resetAt: new Date(w.resetAt) })
    .onConflictDoUpdate({
      target: t.workspaceId,
      set: {
        limitPerWindow: sql`coalesce(excluded.limit_per_window, ${t.limitPerWindow})`,
        remaining: sql`case
          when ${t.resetAt} is null or ${t.resetAt} <= now() or excluded.reset_at > ${t.resetAt} then excluded.remaining
          when excluded.reset_at = ${t.resetAt} then least(${t.remaining}, excluded.remaining)
          else ${t.remaining} end`,
        resetAt: sql`case
          when ${t.resetAt} is null or ${t.resetAt} <= now() or excluded.reset_at > ${t.resetAt} then excluded.reset_at
          else ${t.resetAt} end`,
        updatedAt: sql`now()`,
      },
    });
}

/** The budget only paces requests: a database hiccup must not fail the Intercom call itself. */
async function guarded(task: () => Promise<void>) {
  try {
    await task();
  } catch (err) {
    console.error("[intercom] rate budget unavailable; pacing by this process's own answers", err);
  }
}
