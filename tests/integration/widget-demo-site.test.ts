import { afterAll, describe, expect, it } from "vitest";
import { POST as sessionsPOST } from "@/app/api/widget/sessions/route";
import { decryptSecret } from "@/lib/crypto/encryption";
import { startDemoCustomerSite } from "@/scripts/demo-customer-site";
import { setupTestDb } from "../support/db";
import { createTestAccount } from "../support/fixtures";

describe("demo customer site", () => {
  setupTestDb();
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it("signs identities on its own server in a way Holdfast accepts, and loads widget.js from the app", async () => {
    const { account } = await createTestAccount("Acme Notes");
    const site = await startDemoCustomerSite({
      appUrl: "http://holdfast.test",
      publicKey: account.publicKey,
      widgetSecret: decryptSecret(account.widgetSecretEnc),
      subscribers: [
        { email: "Ana@Example.com", name: "Ana" },
        { email: "ben@example.com", name: "Ben </script><b>", externalId: "user-7" },
      ],
    });
    closers.push(site.close);

    for (const index of [0, 1]) {
      const html = await (await fetch(`${site.url}/?as=${index}`)).text();
      expect(html).toContain('<script src="http://holdfast.test/widget.js"></script>');
      expect(html).not.toContain("<b>");
      const options = JSON.parse(/var options = (.*);\n/.exec(html)![1]!) as Record<string, string>;
      const res = await sessionsPOST(
        new Request("http://holdfast.test/api/widget/sessions", {
          method: "POST",
          headers: { "content-type": "application/json", origin: site.url },
          body: JSON.stringify(options),
        }),
      );
      expect(res.status).toBe(201);
    }
    expect((await fetch(`${site.url}/nope`)).status).toBe(404);
  });
});
