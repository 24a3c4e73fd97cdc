import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { verifyPassword } from "./password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

export function authOptions(): NextAuthOptions {
  return {
    secret: env().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 60 * 60 * 24 * 14 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = await getDb();
          const admin = await db.query.admins.findFirst({ where: (a, { eq }) => eq(a.email, parsed.data.email) });
          if (!admin || !(await verifyPassword(parsed.data.password, admin.passwordHash))) return null;
          return { id: admin.id, email: admin.email, name: admin.name, accountId: admin.accountId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.adminId = user.id;
          token.accountId = (user as unknown as { accountId: string }).accountId;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, adminId: token.adminId as string, accountId: token.accountId as string };
      },
    },
  };
}
