// What the database holds for the bench account: stored answers and deliveries by state.
import { count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { answerDeliveries, answers } from "@/db/schema";

export async function countWidgetRows(accountId: string) {
  const db = await getDb();
  const [stored] = await db.select({ n: count() }).from(answers).where(eq(answers.accountId, accountId));
  const states = await db
    .select({ state: answerDeliveries.state, n: count() })
    .from(answerDeliveries)
    .where(eq(answerDeliveries.accountId, accountId))
    .groupBy(answerDeliveries.state);
  const deliveries: Record<string, number> = {};
  for (const s of states) deliveries[s.state] = Number(s.n);
  return { answers: Number(stored?.n ?? 0), deliveries, deliveryTotal: states.reduce((sum, s) => sum + Number(s.n), 0) };
}
