// A delivery worker in its own process (`node --import tsx tests/support/drain-worker.ts <accountId>`),
// so a test can kill it while a write to Intercom is in flight.
import { drainDueDeliveries } from "@/lib/forwarding/drain";

const accountId = process.argv[2];
if (!accountId) throw new Error("usage: drain-worker.ts <accountId>");
process.stdout.write("draining\n");
const totals = await drainDueDeliveries({ budgetMs: 30_000, accountId });
process.stdout.write(`${JSON.stringify(totals)}\n`);
process.exit(0);
