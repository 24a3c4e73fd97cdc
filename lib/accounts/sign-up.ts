import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { accounts, admins } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/crypto/encryption";
import { createStarterFlow } from "@/lib/flows/starter-flow";

export const signUpSchema = z.object({
  accountName: z.string().trim().min(1, "Company name is required").max(100),
  name: z.string().trim().min(1, "Your name is required").max(100),
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  password: z.string().min(8, "Use at least 8 characters").max(200),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export class EmailTakenError extends Error {}

/** Creates an account (tenant), its owner and a starter cancellation flow. */
export async function signUp(input: SignUpInput) {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  const existing = await db.query.admins.findFirst({ where: (a, { eq }) => eq(a.email, input.email) });
  if (existing) throw new EmailTakenError("An admin with this email already exists. Sign in instead.");
  return db.transaction(async (tx) => {
    const [account] = await tx
      .insert(accounts)
      .values({
        name: input.accountName,
        publicKey: `pk_${randomBytes(12).toString("hex")}`,
        widgetSecretEnc: encryptSecret(`whsec_${randomBytes(24).toString("base64url")}`),
      })
      .returning();
    if (!account) throw new Error("account insert returned nothing");
    const [admin] = await tx
      .insert(admins)
      .values({ accountId: account.id, email: input.email, name: input.name, passwordHash })
      .returning();
    if (!admin) throw new Error("admin insert returned nothing");
    await createStarterFlow(tx, account.id);
    return { account, admin };
  });
}
