import { z } from "zod";
import { GENERATE_HINT, weakKeyProblem, weakSecretProblem } from "./production-secrets";

// The only reader of process.env. Parsed once, on first use, so `next build` (which imports
// route modules) does not need runtime secrets.

// `openssl rand -base64 32` gives 44 characters; anything under 32 was not made that way.
const PRODUCTION_SECRET_LENGTH = 32;
const INTERCOM_SECRET_HINT = "use your Intercom app's client secret (Developer Hub > Basic info)";

function secret(name: string, production: boolean) {
  const required = z.string({ error: `${name} is required: ${GENERATE_HINT}` });
  return production ? required.superRefine(refuseWeak(name, PRODUCTION_SECRET_LENGTH, GENERATE_HINT)) : required.min(16, `${name} must be at least 16 characters`);
}

function refuseWeak(name: string, minLength: number, hint: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = weakSecretProblem(value, minLength);
    if (problem) ctx.addIssue({ code: "custom", message: `${name} ${problem}: ${hint}` });
  };
}

function encryptionKey(production: boolean) {
  return z.string({ error: `ENCRYPTION_KEY is required (32 bytes, base64 or hex): ${GENERATE_HINT}` }).superRefine((value, ctx) => {
    const key = decodeKey(value);
    const problem = !key ? "must be 32 bytes as base64 or 64 hex chars" : production ? weakKeyProblem(key) : null;
    if (problem) ctx.addIssue({ code: "custom", message: `ENCRYPTION_KEY ${problem}: ${GENERATE_HINT}` });
  });
}

// Unset means Intercom is not configured yet (webhooks are refused); a value given in production
// must be the app's own, because webhook signatures are checked against it.
function intercomClientSecret(production: boolean) {
  const given = z.string().min(1);
  const checked = production ? given.superRefine(refuseWeak("INTERCOM_CLIENT_SECRET", 16, INTERCOM_SECRET_HINT)) : given;
  return checked.default("unset-client-secret");
}

function envSchema(production: boolean) {
  return z.object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
    PGLITE_DATA_DIR: z.string().default(".data/pglite"),
    // The sync's page statements are prepared once per connection (and on PGlite); "off" for a
    // pooler that does not keep prepared statements between transactions (PgBouncer without
    // max_prepared_statements).
    DATABASE_PREPARED_STATEMENTS: z
      .enum(["on", "off", ""], { error: "DATABASE_PREPARED_STATEMENTS must be on or off" })
      .optional()
      .transform((v) => v !== "off"),
    AUTH_SECRET: secret("AUTH_SECRET", production),
    APP_URL: z.string().url().default("http://localhost:3000"),
    ENCRYPTION_KEY: encryptionKey(production),
    CRON_SECRET: secret("CRON_SECRET", production),
    INTERCOM_CLIENT_ID: z.string().min(1).default("unset-client-id"),
    INTERCOM_CLIENT_SECRET: intercomClientSecret(production),
    INTERCOM_API_URL: z.string().url().optional(),
    INTERCOM_APP_URL: z.string().url().optional(),
    INTERCOM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    // The sync's search pages are fetched and parsed on a worker thread (lib/intercom/decode-thread.ts);
    // "off" does it on the main thread.
    INTERCOM_DECODE_THREAD: z
      .enum(["on", "off", ""], { error: "INTERCOM_DECODE_THREAD must be on or off" })
      .optional()
      .transform((v) => v !== "off"),
    // How long one sync invocation works before it checkpoints and stops; below maxDuration (300 s).
    SYNC_TIME_BUDGET_MS: z.coerce.number().int().positive().default(240_000),
    // Alert webhooks to loopback and private networks: allowed outside production (tests, the
    // demo), and for self-hosters whose receiver sits on their own network.
    ALERT_WEBHOOK_ALLOW_PRIVATE: z
      .enum(["true", "false"], { error: "ALERT_WEBHOOK_ALLOW_PRIVATE must be true or false" })
      .optional()
      .transform((v) => (v ?? (production ? "false" : "true")) === "true"),
    // Local runs (demo, dev, start) tick the vercel.json cron themselves; off on Vercel.
    LOCAL_CRON: z
      .enum(["on", "off"])
      .optional()
      .transform((v) => v ?? (process.env.VERCEL ? "off" : "on")),
  });
}

export type Env = z.infer<ReturnType<typeof envSchema>>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema(process.env.NODE_ENV === "production").safeParse(process.env);
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
