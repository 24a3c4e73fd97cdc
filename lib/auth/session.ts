import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { authOptions } from "./options";

const sessionSchema = z.object({ adminId: z.string().uuid(), accountId: z.string().uuid() });
export type AdminSession = z.infer<typeof sessionSchema>;

/** The signed-in admin and their account, or null. Every tenant-scoped query starts here. */
export async function getAdminSession(): Promise<AdminSession | null> {
  // A session only exists per request: this keeps `next build` from prerendering signed-in pages,
  // which would read AUTH_SECRET (and fail) at build time.
  await connection();
  const session = await getServerSession(authOptions());
  const parsed = sessionSchema.safeParse(session);
  return parsed.success ? parsed.data : null;
}

/** For pages and server actions: sends anonymous visitors to sign-in. */
export async function requireAdmin(): Promise<AdminSession> {
  const session = await getAdminSession();
  if (!session) redirect("/sign-in");
  return session;
}
