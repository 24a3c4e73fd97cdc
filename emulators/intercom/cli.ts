// npm run emulator -- --port 4010 --seed 1 --contacts 3000 [--workspace-file f.json] [--lag 0] [--rate 1666]
//   [--webhook-url http://127.0.0.1:3000/api/webhooks/intercom] [--webhook-retry-delay 60000] [--log]
//   [--client-id holdfast-dev-client] [--client-secret=<secret>] (a production app refuses the default secret)

import { parseArgs } from "node:util";
import { startIntercomEmulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    seed: { type: "string" },
    contacts: { type: "string" },
    "workspace-file": { type: "string" },
    lag: { type: "string" },
    rate: { type: "string" },
    timezone: { type: "string" },
    "max-string-length": { type: "string" },
    "webhook-url": { type: "string" },
    "webhook-retry-delay": { type: "string" },
    log: { type: "boolean" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
  },
});

function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const emulator = await startIntercomEmulator({
  port: intOption("port", values.port ?? process.env.INTERCOM_EMULATOR_PORT) ?? 4010,
  host: values.host,
  seed: intOption("seed", values.seed),
  contactCount: intOption("contacts", values.contacts),
  workspaceFile: values["workspace-file"],
  searchIndexLagSeconds: intOption("lag", values.lag),
  rateLimitPerWindow: intOption("rate", values.rate),
  maxStringLength: intOption("max-string-length", values["max-string-length"]),
  workspace: values.timezone ? { timezone: values.timezone } : undefined,
  log: values.log ?? false,
  webhookUrl: values["webhook-url"],
  webhookRetryDelayMs: intOption("webhook-retry-delay", values["webhook-retry-delay"]),
  clientId: values["client-id"],
  clientSecret: values["client-secret"],
});

console.log(`Intercom emulator listening on ${emulator.url}`);
console.log(`  workspace     ${emulator.workspace.id} "${emulator.workspace.name}" (${emulator.workspace.region}, ${emulator.workspace.timezone})`);
console.log(`  client id     ${emulator.clientId}`);
console.log(`  client secret ${emulator.clientSecret}`);
console.log(`  contacts      ${emulator.store.counts().active} active`);
console.log(`  consent page  ${emulator.url}/oauth?client_id=${emulator.clientId}&state=...&redirect_uri=...`);
console.log(`  control       ${emulator.url}/_emulator/state`);
console.log(`  webhooks      ${emulator.webhooks.state().url ?? "off (POST /_emulator/webhooks {url})"}`);

const shutdown = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
