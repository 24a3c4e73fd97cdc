import { z } from "zod";
import { emailKey } from "@/lib/matching/email";

export const importColumns = ["email", "name", "plan", "status", "mrr", "external_id", "subscribed_at"] as const;
export type ImportColumn = (typeof importColumns)[number];

// Blank cells become undefined, meaning "leave the stored value as it is" on update.
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .transform((v) => v || undefined);

// The largest amount that fits the integer cents column.
const MAX_MRR_CENTS = 2_147_483_647;

const mrrSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return undefined;
    const match = /^\$?(\d{1,8})(?:\.(\d{1,2}))?$/.exec(v);
    const cents = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN;
    if (!(cents <= MAX_MRR_CENTS)) {
      ctx.addIssue({ code: "custom", message: `mrr "${v.slice(0, 30)}" is not an amount like 49.00` });
      return z.NEVER;
    }
    return cents;
  });

const subscribedAtSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return undefined;
    const date = parseIsoDate(v);
    if (!date) {
      ctx.addIssue({ code: "custom", message: `subscribed_at "${v.slice(0, 40)}" is not an ISO date like 2024-05-01` });
      return z.NEVER;
    }
    return date;
  });

export const importRowSchema = z.object({
  email: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") {
        ctx.addIssue({ code: "custom", message: "email is required" });
        return z.NEVER;
      }
      const key = v.length <= 254 && z.email().safeParse(v).success ? emailKey(v) : null;
      if (!key) {
        ctx.addIssue({ code: "custom", message: `"${v.slice(0, 60)}" is not a valid email address` });
        return z.NEVER;
      }
      return { email: v, key };
    }),
  name: optionalText("name", 200),
  plan: optionalText("plan", 100),
  status: optionalText("status", 50).transform((v) => v?.toLowerCase()),
  mrr: mrrSchema,
  external_id: optionalText("external_id", 255),
  subscribed_at: subscribedAtSchema,
});
export type ImportRow = z.infer<typeof importRowSchema>;

/** YYYY-MM-DD (midnight UTC) or a full ISO timestamp with Z or an offset; rejects 2024-02-30. */
export function parseIsoDate(value: string): Date | null {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (dateOnly) {
    const [, y, m, d] = dateOnly.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || !parseIsoDate(value.slice(0, 10)) ? null : date;
}
