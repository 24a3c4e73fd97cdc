// One sync in a process of its own, so tests/integration/sync-kill.test.ts can kill -9 it mid-run.
// Env: the test's (database, emulator host, secrets) plus SYNC_WORKER_ACCOUNT_ID. Prints one JSON
// line per checkpointed page, then the outcome.
import { closeDb } from "@/db/client";
import { runIntercomSync } from "@/lib/sync/run-intercom-sync";

const accountId = process.env.SYNC_WORKER_ACCOUNT_ID;
if (!accountId) throw new Error("SYNC_WORKER_ACCOUNT_ID is required");

const outcome = await runIntercomSync({
  accountId,
  trigger: "manual",
  mode: "full",
  strategy: "scan",
  onPage: (p) => console.log(JSON.stringify({ page: p.pagesRead, read: p.contactsRead })),
});
console.log(JSON.stringify({ outcome }));
await closeDb();
