// The whole Holdfast × Intercom journey in a real browser, against `next start` and the Intercom
// emulator CLI (seed 1, 500 contacts): sign up, connect by OAuth, import subscribers, map
// properties, sync, check a subscriber against Intercom, map questions, answer the widget on a
// customer's site, and see the answer land on the Intercom contact.
import path from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { startDemoCustomerSite } from "../../scripts/demo-customer-site";
import { e2eCronSecret, e2eUrls } from "./e2e-settings";
import { onScreen } from "./on-screen";

interface EmulatorContact {
  id: string;
  email: string | null;
  name: string | null;
  custom_attributes: Record<string, unknown>;
}

async function emulatorJson<T>(pathname: string): Promise<T> {
  const res = await fetch(`${e2eUrls.emulator}/_emulator${pathname}`);
  expect(res.status, `emulator ${pathname}`).toBe(200);
  return (await res.json()) as T;
}

async function emulatorContactByEmail(email: string): Promise<EmulatorContact> {
  const { contacts } = await emulatorJson<{ contacts: { contact: EmulatorContact; state: string }[] }>(
    `/contacts?email=${encodeURIComponent(email)}`,
  );
  const active = contacts.filter((c) => c.state === "active");
  expect(active, `one active emulator contact for ${email}`).toHaveLength(1);
  return active[0]!.contact;
}

async function emulatorContact(id: string): Promise<EmulatorContact> {
  return (await emulatorJson<{ contact: EmulatorContact }>(`/contacts/${id}`)).contact;
}

/** Full-page screenshots, numbered in visiting order, in test-results/screenshots/. */
function screenshots(testInfo: TestInfo, prefix = "") {
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    const file = path.join(testInfo.project.outputDir, "screenshots", `${prefix}${String(n).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
  };
}

const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function signUp(page: Page, who: { company: string; name: string; email: string }) {
  const screen = onScreen(page);
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await screen.getByLabel("Company name").fill(who.company);
  await screen.getByLabel("Your name").fill(who.name);
  await screen.getByLabel("Work email").fill(who.email);
  await screen.getByLabel("Password").fill("correct-horse-battery");
}

test("journey: sign up, connect Intercom, sync properties, answer the widget, deliver to Intercom", async ({ page, context }, testInfo) => {
  const screen = onScreen(page);
  const shot = screenshots(testInfo);
  const admin = { company: `Acme Notes ${runId}`, name: "Riley Admin", email: `riley+${runId}@acme-notes.test` };
  const { workspace } = await emulatorJson<{ workspace: { id: string; name: string } }>("/state");

  await test.step("1. sign up and land signed in", async () => {
    await signUp(page, admin);
    await shot(page, "sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/integrations$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Subscribers" })).toBeVisible();
    await expect(screen.getByText(admin.email)).toBeVisible();
    await expect(screen.getByText(admin.company)).toBeVisible();
  });

  await test.step("2. connect Intercom by OAuth", async () => {
    await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
    const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Intercom" }) });
    await expect(card.getByText("Not connected", { exact: true })).toBeVisible();
    await shot(page, "integrations-not-connected");
    await card.getByRole("link", { name: "Configure" }).click();
    await expect(page).toHaveURL(/\/settings\/integrations\/intercom$/);
    await expect(page.getByRole("heading", { name: "Connect your Intercom workspace" })).toBeVisible();
    await shot(page, "intercom-connect");

    await page.getByRole("link", { name: "Connect Intercom" }).click();
    await expect(page).toHaveURL(new RegExp(`^${e2eUrls.emulator}/oauth\\?`));
    await expect(screen.getByTestId("workspace-name")).toHaveText(workspace.name);
    await shot(page, "intercom-consent");
    await page.getByRole("button", { name: "Authorize access" }).click();

    await expect(page).toHaveURL(/\/settings\/integrations\/intercom\?connected=1$/);
    await expect(screen.getByText("Intercom is connected")).toBeVisible();
    await expect(screen.getByText(`Connected to ${workspace.name}`)).toBeVisible();
    const details = page.locator("section").filter({ has: page.getByRole("heading", { name: "Connected workspace" }) });
    await expect(details.getByText(workspace.id, { exact: true })).toBeVisible();
    await expect(details.getByText(`${admin.name} (${admin.email})`)).toBeVisible();
    await shot(page, "intercom-connected");
  });

  // Users of the seeded workspace (n % 5 !== 0, plain lowercase emails), plus one person Intercom does not know.
  const matchedEmails = [2, 3, 4, 6].map((n) => `user${n}@example.com`);
  const outsider = `outsider+${runId}@elsewhere.test`;

  await test.step("3. import subscribers from CSV", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Subscribers" }).click();
    await expect(screen.getByText("No subscribers yet")).toBeVisible();
    await shot(page, "subscribers-empty");
    await page.getByRole("link", { name: "Import subscribers" }).first().click();
    await expect(page.getByRole("heading", { name: "Import subscribers", level: 1 })).toBeVisible();
    const csv = [
      "email,name,plan,status,mrr,external_id,subscribed_at",
      ...matchedEmails.map((email, i) => `${email},Customer ${i + 1},Pro,active,49.00,cus_${i + 1},2024-05-0${i + 1}`),
      `${outsider},"Stranger, Sam",Starter,trialing,19.00,cus_9,2024-06-01`,
    ].join("\n");
    await screen.getByLabel("Paste CSV").fill(csv);
    await page.getByRole("button", { name: "Import subscribers" }).click();
    await expect(screen.getByText("Import finished: 5 created · 0 updated")).toBeVisible();
    await shot(page, "subscribers-import");
    await page.getByRole("link", { name: "View subscribers" }).click();
    await expect(screen.getByText("1–5 of 5 subscribers")).toBeVisible();
    for (const email of [...matchedEmails, outsider]) await expect(page.getByRole("link", { name: email })).toBeVisible();
    await shot(page, "subscribers-list-imported");
  });

  await test.step("4. map Intercom attributes to properties", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Custom properties" }).click();
    await expect(screen.getByText("No custom properties yet")).toBeVisible();
    await shot(page, "properties-empty");
    const form = page.locator("section").filter({ has: page.getByRole("heading", { name: "New property" }) });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Plan");
    await form.getByLabel("Type").selectOption({ label: "Text" });
    await form.getByRole("button", { name: "Create property" }).click();
    await expect(screen.getByText('Created "Plan" (plan).')).toBeVisible();
    await expect(page.getByRole("row", { name: /Plan/ })).toContainText("Not mapped");
    await shot(page, "properties-created");

    await page.goto("/settings/integrations/intercom/properties");
    await expect(page.getByRole("link", { name: "Property mappings" })).toHaveAttribute("aria-current", "page");
    await expect(screen.getByText("No attributes mapped yet")).toBeVisible();
    await expect(screen.getByText("Loading attributes from Intercom…")).toBeHidden();
    await shot(page, "property-mappings-empty");

    await page.getByRole("button", { name: "+ Add mapping" }).click();
    await screen.getByLabel("Intercom attribute, row 1").selectOption({ label: "Plan name (string)" });
    await screen.getByLabel("Holdfast property, row 1").selectOption({ label: "Plan (plan)" });
    await page.getByRole("button", { name: "+ Add mapping" }).click();
    await screen.getByLabel("Intercom attribute, row 2").selectOption({ label: "Seats (integer)" });
    await screen.getByLabel("Holdfast property, row 2").selectOption({ label: "+ Create a new property…" });
    await screen.getByLabel("New property name, row 2").fill("Seats");
    await expect(screen.getByText("Unsaved changes")).toBeVisible();
    await shot(page, "property-mappings-edited");

    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(screen.getByText("Mappings saved.")).toBeVisible();
    await expect(screen.getByText("All changes saved")).toBeVisible();
    await expect(screen.getByLabel("Holdfast property, row 2").locator("option:checked")).toHaveText("Seats (seats)");
    await shot(page, "property-mappings-saved");
  });

  await test.step("5. sync now", async () => {
    const { contacts: counts } = await emulatorJson<{ contacts: { active: number } }>("/state");
    await page.getByRole("navigation", { name: "Intercom settings" }).getByRole("link", { name: "Sync" }).click();
    await expect(page.getByRole("heading", { name: "Contact sync" })).toBeVisible();
    // Saving the mappings started a full backfill; Sync now waits (disabled) while it runs.
    const history = page.locator("section").filter({ has: page.getByRole("heading", { name: "Run history" }) });
    const backfill = history.getByRole("row").filter({ hasText: "Mapping change" });
    await expect(backfill.getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
    await shot(page, "sync-after-mapping");

    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(screen.getByText("Sync finished")).toBeVisible({ timeout: 60_000 });
    await expect(screen.getByText(/Read [\d,]+ contacts?, matched [\d,]+ subscribers?, updated [\d,]+ values?\./)).toBeVisible();
    const manual = history.getByRole("row").filter({ hasText: "Manual" });
    await expect(manual.getByText("Succeeded", { exact: true })).toBeVisible();
    const summary = page.locator("section").filter({ has: page.getByRole("heading", { name: "Contact sync" }) });
    await expect(summary.getByText("Succeeded", { exact: true })).toBeVisible();
    await expect(summary.locator("dl > div").filter({ hasText: "Errors" }).locator("dd")).toHaveText("0");

    // The backfill read every active contact and linked the four imported Intercom users.
    const cells = backfill.getByRole("cell");
    const column = async (name: string) => {
      const headers = await history.getByRole("columnheader").allTextContents();
      return headers.findIndex((h) => h.trim().toLowerCase() === name);
    };
    await expect(cells.nth(await column("contacts read"))).toHaveText(counts.active.toLocaleString("en-US"));
    await expect(cells.nth(await column("matched"))).toHaveText(String(matchedEmails.length));
    await expect(cells.nth(await column("errors"))).toHaveText("0");
    await shot(page, "sync-now-succeeded");
  });

  // A matched subscriber whose Intercom contact carries both mapped attributes.
  const contacts = await Promise.all(matchedEmails.map(emulatorContactByEmail));
  const contact = contacts.find((c) => typeof c.custom_attributes.plan_name === "string" && typeof c.custom_attributes.seats === "number");
  if (!contact?.email) throw new Error("no seeded user among user2/3/4/6 has both plan_name and seats");
  const subscriberEmail = contact.email;
  const subscriberName = `Customer ${matchedEmails.indexOf(subscriberEmail) + 1}`;
  let subscriberUrl = "";

  await test.step("6. subscriber page shows Intercom values and links to the contact", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Subscribers" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: subscriberEmail }) });
    await expect(row.getByText("Matched", { exact: true })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: outsider }).getByText("No Intercom match", { exact: true })).toBeVisible();
    await shot(page, "subscribers-list-synced");
    // Searching narrows the list to the subscriber; Clear brings the others back.
    await page.getByRole("searchbox", { name: "Search by email or name" }).fill(subscriberEmail);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("row").filter({ hasText: outsider })).toHaveCount(0);
    await shot(page, "subscribers-search");
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page.getByRole("row").filter({ hasText: outsider })).toHaveCount(1);
    await row.getByRole("link", { name: subscriberEmail }).click();
    await expect(page.getByRole("heading", { name: subscriberName, level: 1 })).toBeVisible();
    subscriberUrl = page.url();

    const props = page.locator("section").filter({ has: page.getByRole("heading", { name: "Custom properties" }) });
    const valueOf = (name: string) => props.getByRole("row").filter({ hasText: name }).getByRole("cell").nth(1);
    await expect(valueOf("Plan")).toHaveText(String(contact.custom_attributes.plan_name));
    await expect(valueOf("Seats")).toHaveText((contact.custom_attributes.seats as number).toLocaleString("en-US"));
    await expect(props.getByRole("row").filter({ hasText: "Seats" })).toContainText(contact.id);
    await expect(screen.getByText(contact.id).first()).toBeVisible();

    const link = page.getByRole("link", { name: "View in Intercom" });
    await expect(link).toHaveAttribute("href", `${e2eUrls.emulator}/a/apps/${workspace.id}/users/${contact.id}/all-conversations`);
    await expect(link).toHaveAttribute("target", "_blank");
    await shot(page, "subscriber-synced");

    const [intercomPage] = await Promise.all([context.waitForEvent("page"), link.click()]);
    await intercomPage.waitForLoadState();
    await expect(intercomPage.getByTestId("contact-name")).toContainText(contact.name ?? subscriberEmail);
    await expect(intercomPage.getByText(subscriberEmail, { exact: false }).first()).toBeVisible();
    await shot(intercomPage, "intercom-contact-page");
    await intercomPage.close();
  });

  await test.step("7. map survey questions to Intercom attributes", async () => {
    await page.goto("/settings/integrations/intercom/questions");
    await expect(page.getByRole("link", { name: "Question mappings" })).toHaveAttribute("aria-current", "page");
    await expect(screen.getByText("No question mappings yet")).toBeVisible();
    await shot(page, "question-mappings-empty");
    await page.getByRole("button", { name: "+ Add mapping" }).click();
    await screen.getByLabel("Question for mapping 1").selectOption({ label: "What's the main reason you're cancelling? (choice)" });
    await page
      .getByLabel("Intercom attribute for mapping 1")
      .selectOption({ label: "Cancel reason code (list: too_expensive, missing_feature, switching, other)" });
    await page.getByRole("button", { name: "+ Add mapping" }).click();
    await screen.getByLabel("Question for mapping 2").selectOption({ label: "How likely are you to recommend us to a friend? (rating)" });
    await screen.getByLabel("Intercom attribute for mapping 2").selectOption({ label: "Cancel rating (integer)" });
    await shot(page, "question-mappings-edited");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(screen.getByText(/^Mappings saved\. New answers are written to Intercom from now on/)).toBeVisible();
    await page.reload();
    await expect(screen.getByLabel("Intercom attribute for mapping 2").locator("option:checked")).toHaveText("Cancel rating (integer)");
    await shot(page, "question-mappings-saved");
  });

  let publicKey = "";
  let widgetSecret = "";
  await test.step("8a. read the widget keys from the cancellation flow page", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cancellation flow" }).click();
    await expect(page.getByRole("heading", { name: "Cancellation flow", level: 1 })).toBeVisible();
    const install = page.locator("section").filter({ has: page.getByRole("heading", { name: "Install the cancellation widget" }) });
    const valueFor = (label: string) => install.locator("dl > div").filter({ has: page.locator("dt", { hasText: label }) }).locator("dd code");
    publicKey = ((await valueFor("Public key").textContent()) ?? "").trim();
    expect(publicKey).not.toBe("");
    await install.getByRole("button", { name: "Reveal" }).click();
    await expect(install.getByRole("button", { name: "Hide" })).toBeVisible();
    widgetSecret = ((await valueFor("Widget secret").textContent()) ?? "").trim();
    expect(widgetSecret).not.toMatch(/^•+$/);
    await shot(page, "cancellation-flow");
  });

  const reason = { text: "It's missing a feature I need", code: "missing_feature" };
  const rating = 7;
  const comment = `We needed SSO for the whole team (${runId}).`;

  await test.step("8b. the subscriber cancels through the widget on the customer's site", async () => {
    const site = await startDemoCustomerSite({
      appUrl: e2eUrls.app,
      publicKey,
      widgetSecret,
      subscribers: [{ email: subscriberEmail, name: subscriberName }],
    });
    try {
      const customer = await context.newPage();
      await customer.goto(site.url);
      await expect(customer.getByTestId("demo-email")).toHaveText(subscriberEmail);
      await shot(customer, "customer-site");
      await customer.getByRole("button", { name: "Cancel subscription" }).click();

      const widget = customer.frameLocator("iframe[data-holdfast-widget]");
      const dialog = widget.getByRole("dialog", { name: "Cancel subscription" });
      await expect(dialog.getByRole("heading", { name: "What's the main reason you're cancelling?" })).toBeVisible();
      await dialog.getByRole("radio", { name: reason.text }).check();
      await shot(customer, "widget-reason");
      await dialog.getByRole("button", { name: "Continue" }).click();

      await expect(dialog.getByRole("heading", { name: "What could we have done better?" })).toBeVisible();
      await dialog.getByRole("textbox").fill(comment);
      await shot(customer, "widget-comment");
      await dialog.getByRole("button", { name: "Continue" }).click();

      await expect(dialog.getByRole("heading", { name: "How likely are you to recommend us to a friend?" })).toBeVisible();
      await dialog.getByRole("radio", { name: String(rating), exact: true }).click();
      await expect(dialog.getByRole("radio", { name: String(rating), exact: true })).toHaveAttribute("aria-checked", "true");
      await shot(customer, "widget-rating");
      await dialog.getByRole("button", { name: "Continue" }).click();

      await expect(dialog.getByRole("heading", { name: "Confirm your cancellation" })).toBeVisible();
      await shot(customer, "widget-confirm");
      await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
      await expect(dialog.getByText("Your subscription is cancelled")).toBeVisible();
      await expect(customer.getByRole("status")).toHaveText("Your subscription has been cancelled.");
      await shot(customer, "widget-thank-you");
      await customer.close();
    } finally {
      await site.close();
    }
  });

  await test.step("9. the answers reach the Intercom contact and show as delivered", async () => {
    // The answers route sends right after responding; the cron is the fallback when it has not yet.
    const started = Date.now();
    let cronCalled = false;
    await expect
      .poll(
        async () => {
          if (!cronCalled && Date.now() - started > 8_000) {
            cronCalled = true;
            const cron = await fetch(`${e2eUrls.app}/api/cron/intercom-sync`, { headers: { Authorization: `Bearer ${e2eCronSecret}` } });
            expect(cron.status).toBe(200);
            testInfo.annotations.push({ type: "note", description: "answers were delivered by the cron fallback" });
          }
          const { custom_attributes: attrs } = await emulatorContact(contact.id);
          return { cancel_reason_code: attrs.cancel_reason_code, cancel_rating: attrs.cancel_rating };
        },
        { timeout: 30_000, intervals: [250, 500, 1000] },
      )
      .toEqual({ cancel_reason_code: reason.code, cancel_rating: rating });

    await page.goto(subscriberUrl);
    const answers = page.locator("section").filter({ has: page.getByRole("heading", { name: "Cancellation answers" }) });
    const answerRow = (question: string) => answers.getByRole("row").filter({ hasText: question });
    await expect(answerRow("main reason")).toContainText(reason.text);
    await expect(answerRow("main reason")).toContainText(reason.code);
    await expect(answerRow("main reason").getByText("Delivered", { exact: true })).toBeVisible();
    await expect(answerRow("main reason")).toContainText("cancel_reason_code");
    await expect(answerRow("recommend")).toContainText(String(rating));
    await expect(answerRow("recommend").getByText("Delivered", { exact: true })).toBeVisible();
    await expect(answerRow("done better")).toContainText(comment);
    await expect(answerRow("done better").getByText("Not mapped", { exact: true })).toBeVisible();
    await shot(page, "subscriber-answers-delivered");

    // The deliveries page lists both mapped answers as delivered, and its search finds them.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
    await page.getByRole("searchbox", { name: "Search by subscriber email" }).fill(subscriberEmail);
    await page.getByRole("button", { name: "Search" }).click();
    const deliveries = page.getByRole("row").filter({ hasText: subscriberEmail });
    await expect(deliveries).toHaveCount(2);
    await expect(deliveries.filter({ hasText: "Delivered" })).toHaveCount(2);
    await shot(page, "deliveries-search");
  });
});

test("connecting: Cancel on Intercom's consent page leaves Holdfast not connected", async ({ page }, testInfo) => {
  const screen = onScreen(page);
  const shot = screenshots(testInfo, "deny-");
  await signUp(page, { company: `Declined Co ${runId}`, name: "Dee Clined", email: `dee+${runId}@declined.test` });
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings\/integrations$/);

  await page.goto("/settings/integrations/intercom");
  await page.getByRole("link", { name: "Connect Intercom" }).click();
  await expect(page.getByRole("button", { name: "Authorize access" })).toBeVisible();
  await page.getByRole("link", { name: "Cancel" }).click();

  await expect(page).toHaveURL(/\/settings\/integrations\/intercom\?error=denied$/);
  await expect(screen.getByText("Access was not granted")).toBeVisible();
  await expect(screen.getByText("Not connected", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Connect Intercom" })).toBeVisible();
  await shot(page, "intercom-denied");
});

test("signing in: a signed-in admin skips the form, and only paths on this site are followed afterwards", async ({ page }, testInfo) => {
  const screen = onScreen(page);
  const shot = screenshots(testInfo, "sign-in-");
  const email = `sam+${runId}@signin.test`;
  await signUp(page, { company: `Sign In Co ${runId}`, name: "Sam Signin", email });
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings\/integrations$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByText("Settings", { exact: true })).toBeVisible();
  await shot(page, "nav-settings");

  await page.goto("/sign-in");
  await expect(page).toHaveURL(/\/subscribers$/);

  async function signOutAndIn(callbackUrl: string) {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await screen.getByLabel("Email").fill(email);
    await screen.getByLabel("Password").fill("correct-horse-battery");
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await signOutAndIn("https://evil.example/steal");
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/subscribers$/);
  await signOutAndIn("/deliveries");
  await expect(page).toHaveURL(/\/deliveries$/);
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
});
