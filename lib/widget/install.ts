import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/encryption";
import { env } from "@/lib/env";

/** What an admin needs to embed the widget: the public key and where widget.js is served. */
export async function getWidgetInstall(accountId: string) {
  const db = await getDb();
  const account = await db.query.accounts.findFirst({ where: eq(accounts.id, accountId) });
  if (!account) return null;
  return { publicKey: account.publicKey, appUrl: env().APP_URL.replace(/\/$/, "") };
}

/** The signing secret, only when an admin asks to see it (never rendered into the page up front). */
export async function revealWidgetSecret(accountId: string): Promise<string | null> {
  const db = await getDb();
  const account = await db.query.accounts.findFirst({ where: eq(accounts.id, accountId) });
  return account ? decryptSecret(account.widgetSecretEnc) : null;
}
