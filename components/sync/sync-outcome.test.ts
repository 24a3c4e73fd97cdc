import { describe, expect, it } from "vitest";
import type { SyncRunStatus } from "@/lib/sync/sync-status";
import { syncNotice } from "./sync-outcome";

const run = (over: Partial<SyncRunStatus>): SyncRunStatus => ({
  id: "run-2",
  trigger: "manual",
  mode: "incremental",
  strategy: "scan",
  status: "succeeded",
  startedAt: "2026-12-03T10:00:00.000Z",
  finishedAt: "2026-12-03T10:00:01.000Z",
  heartbeatAt: null,
  contactsRead: 1234,
  contactsMatched: 56,
  valuesUpdated: 7,
  errorCount: 0,
  apiCalls: 9,
  rateLimitWaits: 0,
  pagesRead: 9,
  estimatedTotal: 1234,
  errorMessage: null,
  ...over,
});
const started = { message: "Reading what changed in Intercom.", previousRun: { id: "run-1", startedAt: "2026-12-03T09:00:00.000Z" } };

describe("syncNotice", () => {
  it("says started while the run before the press is still the newest, or the new one runs", () => {
    expect(syncNotice(started, false, run({ id: "run-1" }))).toMatchObject({ title: "Sync started", body: started.message });
    expect(syncNotice(started, false, null)).toMatchObject({ title: "Sync started" });
    expect(syncNotice(started, true, run({ finishedAt: null, status: "running" }))).toMatchObject({ title: "Sync started" });
  });

  // The page's status may be older than the server's: a cron run ended between the last poll and
  // the press, so the press's "run before" is newer than the run the page still shows.
  it("says started while the page still shows a run older than the one before the press", () => {
    const stale = run({ id: "run-0", startedAt: "2026-12-03T08:00:00.000Z", finishedAt: "2026-12-03T08:00:02.000Z" });
    expect(syncNotice(started, false, stale)).toMatchObject({ title: "Sync started", body: started.message });
    // Start times come back to the millisecond: another run in the same one is still a newer run.
    expect(syncNotice(started, false, run({ startedAt: started.previousRun.startedAt }))).toMatchObject({ title: "Sync finished" });
  });

  it("says finished with the run's counts once a newer run has ended", () => {
    expect(syncNotice(started, false, run({}))).toEqual({
      tone: "success",
      title: "Sync finished",
      body: "Read 1,234 contacts, matched 56 subscribers, updated 7 values.",
    });
    expect(syncNotice({ ...started, previousRun: null }, false, run({ trigger: "cron" }))).toMatchObject({ title: "Sync finished" });
    expect(syncNotice(started, false, run({ contactsRead: 1, contactsMatched: 1, valuesUpdated: 1, errorCount: 1 })).body).toBe(
      "Read 1 contact, matched 1 subscriber, updated 1 value. 1 value did not fit its property; see Sync errors below.",
    );
  });

  it("warns about values that did not fit, and reports a paused or failed run with its reason", () => {
    expect(syncNotice(started, false, run({ errorCount: 2 }))).toMatchObject({ tone: "warning", title: "Sync finished", body: expect.stringMatching(/2 values did not fit/) });
    expect(syncNotice(started, false, run({ status: "partial", errorMessage: "Stopped to stay within the time limit." }))).toMatchObject({
      tone: "info",
      title: "Sync paused",
      body: expect.stringMatching(/Read 1,234 contacts.*time limit/),
    });
    expect(syncNotice(started, false, run({ status: "failed", errorMessage: "Intercom rejected Holdfast's access token (401)." }))).toEqual({
      tone: "error",
      title: "Sync failed",
      body: "Intercom rejected Holdfast's access token (401).",
    });
  });
});
