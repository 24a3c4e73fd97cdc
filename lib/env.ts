import { z } from "zod";

// The only reader of process.env. Parsed once, on first use, so `next build` (which imports
// route modules) does not need runtime secrets.
const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(16, `${name} must be at least 16 characters`);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  AUTH_SECRET: secret("AUTH_SECRET"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  ENCRYPTION_KEY: z
    .string({ error: "ENCRYPTION_KEY is required (32 bytes, base64 or hex)" })
    .refine((v) => decodeKey(v) !== null, "ENCRYPTION_KEY must be 32 bytes as base64 or 64 hex chars"),
  CRON_SECRET: secret("CRON_SECRET"),
  INTERCOM_CLIENT_ID: z.string().min(1).default("unset-client-id"),
  INTERCOM_CLIENT_SECRET: z.string().min(1).default("unset-client-secret"),
  INTERCOM_API_URL: z.string().url().optional(),
  INTERCOM_APP_URL: z.string().url().optional(),
  INTERCOM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // How long one sync invocation works before it checkpoints and stops; below maxDuration (300 s).
  SYNC_TIME_BUDGET_MS: z.coerce.number().int().positive().default(240_000),
  // Local runs (demo, dev, start) tick the vercel.json cron themselves; off on Vercel.
  LOCAL_CRON: z
    .enum(["on", "off"])
    .optional()
    .transform((v) => v ?? (process.env.VERCEL ? "off" : "on")),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change env between cases; production never calls this. */
export function resetEnvCache() {
  cached = undefined;
}

export function decodeKey(value: string): Buffer | null {
  const hex = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : null;
  const key = hex ?? Buffer.from(value, "base64");
  return key.length === 32 ? key : null;
}
