// `npm run demo`: the Intercom emulator, the app on the embedded database, a demo account and a
// pretend customer site, all on this machine. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const appPort = Number(process.env.DEMO_APP_PORT ?? 3000);
const emulatorPort = Number(process.env.DEMO_EMULATOR_PORT ?? 4010);
const sitePort = Number(process.env.DEMO_SITE_PORT ?? 3001);
const prod = process.argv.includes("--prod");

// Secrets are generated once and kept beside the demo database, so sign-ins survive restarts.
// `--prod` runs a production server, which refuses fixed, published secrets: the emulator gets
// this generated client secret too.
function demoSecrets() {
  const file = path.resolve(".data/demo-secrets.json");
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    CRON_SECRET: randomBytes(24).toString("base64url"),
    INTERCOM_CLIENT_SECRET: randomBytes(24).toString("base64url"),
    ...kept,
  };
  if (Object.keys(secrets).length !== Object.keys(kept).length) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

const appUrl = `http://localhost:${appPort}`;
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
const demoEnv: Record<string, string> = {
  ...demoSecrets(),
  APP_URL: appUrl,
  PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR ?? ".data/pglite",
  INTERCOM_CLIENT_ID: "holdfast-dev-client",
  INTERCOM_API_URL: emulatorUrl,
  INTERCOM_APP_URL: emulatorUrl,
  NEXT_TELEMETRY_DISABLED: "1",
};
Object.assign(process.env, demoEnv);

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function main() {
  const { startIntercomEmulator } = await import("@/emulators/intercom/server");
  const emulator = await startIntercomEmulator({
    port: emulatorPort,
    seed: 1,
    clientId: demoEnv.INTERCOM_CLIENT_ID,
    clientSecret: demoEnv.INTERCOM_CLIENT_SECRET,
  });
  cleanups.push(() => emulator.close());

  // Seed, then let go of the embedded database: the app process must own it alone.
  const { seedDemoAccount, DEMO_ADMIN } = await import("./seed-demo-account");
  const { closeDb } = await import("@/db/client");
  const demo = await seedDemoAccount();
  await closeDb();

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  if (prod) await run(process.execPath, [nextBin, "build"]);
  const app = spawn(process.execPath, [nextBin, prod ? "start" : "dev", "-p", String(appPort)], {
    stdio: "inherit",
    env: { ...process.env, ...demoEnv },
  });
  children.push(app);
  app.on("exit", (code) => void shutdown(code ?? 0));

  const { startDemoCustomerSite } = await import("./demo-customer-site");
  const site = await startDemoCustomerSite({
    port: sitePort,
    appUrl,
    publicKey: demo.publicKey,
    widgetSecret: demo.widgetSecret,
    subscribers: demo.sampleSubscribers,
  });
  cleanups.push(() => site.close());

  await waitForHttp(`${appUrl}/sign-in`);
  // Like an Intercom app's webhook subscription: contact changes reach the app within seconds,
  // signed with the demo client secret. Set only now so no notification races the app's start.
  const webhookUrl = `${appUrl}/api/webhooks/intercom`;
  emulator.webhooks.setUrl(webhookUrl);
  console.log(
    [
      "",
      "  Holdfast demo is running",
      `  App:              ${appUrl}   (sign in: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})`,
      `  Customer site:    http://localhost:${sitePort}   (opens the cancellation widget)`,
      `  Intercom emulator: ${emulatorUrl}   (workspace "${emulator.store.workspace.name}")`,
      `  Webhooks:          the emulator sends contact changes to ${webhookUrl}`,
      "",
      "  Next: Settings > Integrations > Intercom > Configure > Connect Intercom.",
      "  To watch a webhook land, change a contact in the emulator, then reload its subscriber page:",
      `    curl -X POST ${emulatorUrl}/_emulator/contacts/<Intercom contact id> -H 'Content-Type: application/json' \\`,
      `      -d '{"custom_attributes":{"plan_name":"Scale"}}'     (docs/user-guide.md, section 2)`,
      "  Ctrl-C stops everything. Data lives in .data/ (delete it to start over).",
      "",
    ].join("\n"),
  );
}

function run(cmd: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...demoEnv } });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

async function waitForHttp(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  void shutdown(1);
});
