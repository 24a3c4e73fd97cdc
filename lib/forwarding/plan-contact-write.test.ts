import { describe, expect, it } from "vitest";
import { planContactWrite, type Delivery } from "./plan-contact-write";

const now = new Date("2026-01-01T12:00:00Z");
const at = (s: number) => new Date(now.getTime() + s * 1000);

function delivery(id: string, attribute: string, answeredAtS: number, over: Partial<Delivery> = {}): Delivery {
  return {
    id,
    accountId: "acc",
    answerId: `answer-${id}`,
    subscriberId: "sub",
    questionId: null,
    attribute,
    value: id,
    answeredAt: at(answeredAtS),
    truncated: false,
    state: "pending",
    attempts: 1,
    nextAttemptAt: at(60),
    contactId: null,
    lastError: null,
    lastErrorCode: null,
    lastStatus: null,
    lastRequestId: null,
    attentionReason: null,
    deliveredAt: null,
    createdAt: at(answeredAtS),
    updatedAt: now,
    ...over,
  };
}

const ids = (list: { id: string }[]) => list.map((d) => d.id);

describe("planContactWrite", () => {
  it("puts one answer per attribute in the PUT: the newest; older claimed ones are superseded", () => {
    const older = delivery("old", "cancel_rating", -60);
    const newer = delivery("new", "cancel_rating", -10);
    const other = delivery("comment", "cancel_comment", -30);
    const plan = planContactWrite([older, newer, other], [older, newer, other], new Set(), now);
    expect(ids(plan.send).sort()).toEqual(["comment", "new"]);
    expect(ids(plan.superseded)).toEqual(["old"]);
  });

  it("supersedes an older answer when a newer one was already delivered, failed or is waiting", () => {
    const older = delivery("old", "cancel_rating", -60);
    for (const state of ["delivered", "failed", "needs_attention", "pending"] as const) {
      const newer = delivery("new", "cancel_rating", -10, { state, nextAttemptAt: at(300) });
      const plan = planContactWrite([older], [older, newer], new Set(), now);
      expect(ids(plan.superseded)).toEqual(["old"]);
      expect(plan.send).toEqual([]);
    }
  });

  it("ignores superseded siblings when deciding what is newest", () => {
    const older = delivery("old", "cancel_rating", -60);
    const replaced = delivery("x", "cancel_rating", -10, { state: "superseded" });
    expect(ids(planContactWrite([older], [older, replaced], new Set(), now).send)).toEqual(["old"]);
  });

  it("breaks answeredAt ties by creation time, then id, the same way for every worker", () => {
    const a = delivery("a", "k", -10, { createdAt: at(-5) });
    const b = delivery("b", "k", -10, { createdAt: at(-6) });
    expect(ids(planContactWrite([a, b], [a, b], new Set(), now).send)).toEqual(["a"]);
    const c = delivery("c", "k", -10, { createdAt: at(-5) });
    expect(ids(planContactWrite([a, c], [a, c], new Set(), now).send)).toEqual(["c"]);
  });

  it("holds the newest back while an older answer to the attribute may still be in flight", () => {
    const inFlight = delivery("old", "k", -60, { state: "unknown", attempts: 1, nextAttemptAt: at(20) });
    const newer = delivery("new", "k", -10, { nextAttemptAt: at(-1) });
    const plan = planContactWrite([newer], [inFlight, newer], new Set(), now);
    expect(plan.send).toEqual([]);
    expect(plan.deferred).toEqual([{ delivery: newer, until: at(21) }]);
  });

  it("does not wait for an older answer that was never sent or is due now", () => {
    const neverSent = delivery("old", "k", -60, { attempts: 0, nextAttemptAt: at(20) });
    const newer = delivery("new", "k", -10);
    expect(ids(planContactWrite([newer], [neverSent, newer], new Set(), now).send)).toEqual(["new"]);
    const due = delivery("old", "k", -60, { attempts: 2, nextAttemptAt: at(-1) });
    expect(ids(planContactWrite([newer], [due, newer], new Set(), now).send)).toEqual(["new"]);
  });

  it("parks answers whose mapping is broken instead of sending them", () => {
    const d = delivery("d", "cancel_reason", -1);
    const ok = delivery("ok", "cancel_rating", -1);
    const plan = planContactWrite([d, ok], [d, ok], new Set(["cancel_reason"]), now);
    expect(ids(plan.mappingBroken)).toEqual(["d"]);
    expect(ids(plan.send)).toEqual(["ok"]);
  });
});
