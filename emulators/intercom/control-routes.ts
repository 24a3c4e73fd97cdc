// /_emulator/*: not Intercom. Lets tests, the browser suite and the demo drive the emulator from
// another process: inject faults, simulate changes made in Intercom, read the request log.

import { z } from "zod";
import type { EmulatorContext } from "./emulator-context";
import { bodyObject, json, type Incoming, type Reply } from "./reply";

const matchSchema = z.object({ method: z.string().optional(), pathPrefix: z.string().optional() }).optional();
const faultsSchema = z.object({
  queue: z
    .array(
      z.object({
        status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
        count: z.number().int().positive().optional(),
        rate: z.number().min(0).max(1).optional(),
        after: z.number().int().nonnegative().optional(),
        match: matchSchema,
      }),
    )
    .optional(),
  hang: z
    .union([
      z.object({ ms: z.number().int().nonnegative(), count: z.number().int().positive().optional(), match: matchSchema }),
      z.array(z.object({ ms: z.number().int().nonnegative(), count: z.number().int().positive().optional(), match: matchSchema })),
    ])
    .optional(),
});
const customValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const patchSchema = z.object({
  role: z.enum(["user", "lead"]).optional(),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  owner_id: z.string().nullable().optional(),
  unsubscribed_from_emails: z.boolean().optional(),
  custom_attributes: customValues.optional(),
  updated_at: z.number().int().optional(),
});
const createSchema = z.object({
  role: z.enum(["user", "lead"]).optional(),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  custom_attributes: customValues.optional(),
  created_at: z.number().int().optional(),
});
const webhookSchema = z.object({
  url: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  retryDelayMs: z.number().int().nonnegative().optional(),
  timeoutMs: z.number().int().positive().optional(),
});
const activitySchema = z.object({ share: z.number().min(0).max(1), now: z.number().int().optional() });
const burstSchema = z.object({ count: z.number().int().positive().max(1_000_000) });
const settingsSchema = z.object({
  rateLimitPerWindow: z.number().int().positive().optional(),
  searchIndexLagSeconds: z.number().nonnegative().optional(),
  maxStringLength: z.number().int().positive().nullable().optional(),
  meReportsTimezone: z.boolean().optional(),
});

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, req: Incoming): T {
  const result = schema.safeParse(bodyObject(req.body) ?? null);
  if (!result.success) throw new ControlError(400, z.prettifyError(result.error));
  return result.data;
}

function attempt(fn: () => unknown): Reply {
  try {
    return json(fn() ?? { ok: true });
  } catch (err) {
    if (err instanceof ControlError) return json({ error: err.message }, err.status);
    return json({ error: err instanceof Error ? err.message : String(err) }, 409);
  }
}

export function handleControl(ctx: EmulatorContext, req: Incoming): Reply {
  const path = req.path.replace(/^\/_emulator/, "").replace(/\/+$/, "") || "/";
  const route = `${req.method} ${path}`;
  const contact = /^\/contacts\/([^/]+)$/.exec(path);
  const merge = /^\/contacts\/([^/]+)\/merge$/.exec(path);
  const archive = /^\/data-attributes\/([^/]+)\/archive$/.exec(path);
  const contactArchive = /^\/contacts\/([^/]+)\/(archive|unarchive)$/.exec(path);

  return attempt(() => {
    switch (route) {
      case "GET /state":
        return {
          workspace: ctx.workspace,
          admin: ctx.admin,
          clientId: ctx.settings.clientId,
          settings: {
            rateLimitPerWindow: ctx.rateLimiter.limit,
            searchIndexLagSeconds: ctx.settings.searchIndexLagSeconds,
            maxStringLength: ctx.settings.maxStringLength ?? null,
            meReportsTimezone: ctx.settings.meReportsTimezone,
          },
          contacts: ctx.store.counts(),
          faults: ctx.faults.snapshot(),
        };
      case "POST /settings": {
        const s = parse(settingsSchema, req);
        if (s.rateLimitPerWindow !== undefined) ctx.rateLimiter.limit = s.rateLimitPerWindow;
        if (s.searchIndexLagSeconds !== undefined) ctx.settings.searchIndexLagSeconds = s.searchIndexLagSeconds;
        if (s.maxStringLength !== undefined) ctx.settings.maxStringLength = s.maxStringLength ?? undefined;
        if (s.meReportsTimezone !== undefined) ctx.settings.meReportsTimezone = s.meReportsTimezone;
        return { ok: true };
      }
      case "GET /faults":
        return ctx.faults.snapshot();
      case "POST /faults": {
        const f = parse(faultsSchema, req);
        ctx.faults.inject(...(f.queue ?? []));
        for (const h of f.hang === undefined ? [] : Array.isArray(f.hang) ? f.hang : [f.hang]) ctx.faults.hang(h);
        return ctx.faults.snapshot();
      }
      case "DELETE /faults":
        ctx.faults.clear();
        return { ok: true };
      case "POST /revoke-tokens":
        ctx.tokens.revokeAll();
        return { ok: true };
      case "POST /tokens":
        return { token: ctx.tokens.issueToken() };
      case "GET /requests":
        return { requests: ctx.requestLog.entries };
      case "DELETE /requests":
        ctx.requestLog.clear();
        return { ok: true };
      case "POST /reset": {
        const body = bodyObject(req.body);
        ctx.reset({ tokens: typeof body === "object" && body !== null && (body as { tokens?: unknown }).tokens === true });
        return { ok: true };
      }
      case "GET /contacts": {
        const email = req.query.get("email");
        if (!email) throw new ControlError(400, "pass ?email= to look contacts up");
        return { contacts: ctx.store.findContactsByEmail(email) };
      }
      case "POST /contacts":
        return { contact: ctx.store.createContact(parse(createSchema, req)) };
      case "POST /activity":
        return ctx.store.simulateActivity(parse(activitySchema, req));
      case "GET /webhooks":
        return { ...ctx.webhooks.state(), deliveries: ctx.webhooks.deliveries };
      case "POST /webhooks":
        ctx.webhooks.configure(parse(webhookSchema, req));
        return ctx.webhooks.state();
      case "DELETE /webhooks":
        ctx.webhooks.configure({ url: null });
        return ctx.webhooks.state();
      case "POST /webhooks/ping": {
        const delivery = ctx.webhooks.ping();
        if (!delivery) throw new ControlError(409, "no active webhook subscription: POST /_emulator/webhooks {url} first");
        return { delivery };
      }
      case "POST /webhooks/burst": {
        if (!ctx.webhooks.isActive()) throw new ControlError(409, "no active webhook subscription: POST /_emulator/webhooks {url} first");
        return { queued: ctx.burstWebhooks(parse(burstSchema, req).count) };
      }
    }
    if (contactArchive?.[1] && req.method === "POST") {
      const id = decodeURIComponent(contactArchive[1]);
      return { contact: contactArchive[2] === "archive" ? ctx.store.archiveContact(id) : ctx.store.unarchiveContact(id) };
    }
    if (contact?.[1]) {
      const id = decodeURIComponent(contact[1]);
      if (req.method === "GET") {
        const stored = ctx.store.getContact(id);
        if (!stored) throw new ControlError(404, `no contact ${id}`);
        return stored;
      }
      if (req.method === "POST") return { contact: ctx.store.updateContact(id, parse(patchSchema, req)) };
      if (req.method === "DELETE") {
        ctx.store.deleteContact(id);
        return { ok: true };
      }
    }
    if (merge?.[1] && req.method === "POST") {
      const { into } = parse(z.object({ into: z.string() }), req);
      ctx.store.mergeContact(decodeURIComponent(merge[1]), into);
      return { ok: true };
    }
    if (archive?.[1] && req.method === "POST") {
      const { archived } = parse(z.object({ archived: z.boolean().default(true) }), req);
      return ctx.store.archiveAttribute(decodeURIComponent(archive[1]), archived);
    }
    throw new ControlError(404, `unknown control endpoint ${route}`);
  });
}
