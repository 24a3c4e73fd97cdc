import { describe, expect, it } from "vitest";
import type { IntercomDataAttribute } from "@/lib/intercom/schemas";
import type { MappableQuestion } from "./question-mappings-rules";
import { suggestAttribute } from "./suggest-attribute";

const attr = (name: string, data_type: string, extra: Partial<IntercomDataAttribute> = {}) =>
  ({ name, full_name: `custom_attributes.${name}`, label: name, data_type, custom: true, api_writable: true, archived: false, model: "contact", ...extra }) as IntercomDataAttribute;

// The emulator's seeded workspace: account data plus empty survey targets.
const workspace = [
  attr("plan_name", "string"),
  attr("seats", "integer"),
  attr("lifetime_value", "float"),
  attr("account_tier", "string", { options: ["free", "pro", "enterprise"] }),
  attr("renewal_date", "date"),
  attr("cancel_reason", "string"),
  attr("cancel_reason_code", "string", { options: ["too_expensive", "missing_feature", "switching", "other"] }),
  attr("cancel_comment", "string"),
  attr("cancel_rating", "integer"),
];

const q = (kind: MappableQuestion["kind"], prompt: string, codes: string[] = []): MappableQuestion => ({
  id: prompt,
  kind,
  prompt,
  options: codes.map((c) => ({ text: c, reasonCode: c })),
});

describe("suggestAttribute", () => {
  it("picks the survey attribute that fits each kind of question", () => {
    const none = new Set<string>();
    const reasons = q("multiple_choice", "What's the main reason you're cancelling?", ["too_expensive", "missing_feature", "switching", "other"]);
    expect(suggestAttribute(reasons, workspace, none)?.name).toBe("cancel_reason_code");
    expect(suggestAttribute(q("free_text", "What could we have done better?"), workspace, none)?.name).toBe("cancel_comment");
    expect(suggestAttribute(q("rating", "How likely are you to recommend us to a friend?"), workspace, none)?.name).toBe("cancel_rating");
  });

  it("skips attributes that would refuse the answers or are taken, and suggests nothing on type alone", () => {
    const reasons = q("multiple_choice", "Why are you leaving?", ["price", "bugs"]);
    // The list attribute would refuse "price" and "bugs": plain text is next best.
    expect(suggestAttribute(reasons, workspace, new Set())?.name).toBe("cancel_reason");
    expect(suggestAttribute(reasons, workspace, new Set(["cancel_reason"]))?.name).not.toBe("cancel_reason");
    expect(suggestAttribute(q("free_text", "Anything else?"), [attr("plan_name", "string")], new Set())).toBeNull();
    expect(suggestAttribute(q("rating", "Rate us"), [attr("seats", "integer"), attr("renewal_date", "date")], new Set())).toBeNull();
  });
});
