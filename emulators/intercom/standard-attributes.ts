// Intercom's built-in attributes. They carry no id, created_at or admin_id (API-NOTES §2.1);
// labels and writability follow what the workspace settings page shows.

import type { DataAttributeObject, DataModel, DataType } from "./types";

type Row = [fullName: string, label: string, dataType: DataType, apiWritable: boolean, description: string];

const CONTACT_ROWS: Row[] = [
  ["name", "Name", "string", true, "A contact's full name"],
  ["email", "Email", "string", true, "A contact's email address"],
  ["email_domain", "Email domain", "string", false, "The domain of a contact's email address"],
  ["phone", "Phone", "string", true, "A contact's phone number"],
  ["external_id", "User ID", "string", true, "A unique identifier for a contact, set by your system"],
  ["role", "Role", "string", true, "The role of a contact: user or lead"],
  ["owner_id", "Owner", "string", true, "The teammate who owns this contact"],
  ["avatar", "Avatar", "string", true, "The URL of a contact's avatar image"],
  ["language_override", "Language override", "string", true, "A preferred language set for the contact"],
  ["created_at", "Created at", "date", false, "The time the contact was added to Intercom"],
  ["signed_up_at", "Signed up", "date", true, "The time the user signed up in your product"],
  ["updated_at", "Last updated", "date", false, "The last time the contact was updated"],
  ["last_seen_at", "Last seen", "date", true, "The last time the contact was seen in your product"],
  ["last_contacted_at", "Last contacted", "date", false, "The last time a teammate contacted this person"],
  ["last_replied_at", "Last heard from", "date", false, "The last time this person replied"],
  ["last_email_opened_at", "Last opened email", "date", false, "The last time this person opened an email"],
  ["last_email_clicked_at", "Last clicked on link in email", "date", false, "The last time this person clicked a link in an email"],
  ["unsubscribed_from_emails", "Unsubscribed from emails", "boolean", true, "Whether the contact unsubscribed from emails"],
  ["has_hard_bounced", "Has hard bounced", "boolean", false, "Whether an email to this contact hard bounced"],
  ["marked_email_as_spam", "Marked email as spam", "boolean", false, "Whether the contact marked an email as spam"],
  ["browser", "Browser", "string", false, "The browser the contact last used"],
  ["browser_language", "Browser language", "string", false, "The language of the contact's browser"],
  ["os", "OS", "string", false, "The operating system the contact last used"],
  ["location.city", "City", "string", false, "The city the contact was last seen in"],
  ["location.region", "Region", "string", false, "The region the contact was last seen in"],
  ["location.country", "Country", "string", false, "The country the contact was last seen in"],
];

const COMPANY_ROWS: Row[] = [
  ["name", "Company name", "string", true, "The name of a company"],
  ["company_id", "Company ID", "string", true, "A number identifying a company"],
  ["last_request_at", "Company last seen", "date", false, "The last day anyone from a company visited your site or app"],
  ["remote_created_at", "Company created at", "date", true, "The day a company was added to Intercom"],
  ["user_count", "People", "integer", false, "The number of people in a company"],
  ["plan.name", "Plan", "string", true, "A specific plan or level within your product that companies have signed up to"],
  ["monthly_spend", "Monthly Spend", "float", true, "The monthly revenue you receive from a company"],
  ["website", "Website", "string", true, "The web address for the company's primary marketing site"],
];

function toAttribute(model: DataModel, [fullName, label, dataType, apiWritable, description]: Row): DataAttributeObject {
  return {
    type: "data_attribute",
    name: fullName.split(".").pop() ?? fullName,
    full_name: fullName,
    label,
    description,
    data_type: dataType,
    api_writable: apiWritable,
    ui_writable: apiWritable,
    messenger_writable: ["name", "email", "phone"].includes(fullName),
    custom: false,
    archived: false,
    model,
  };
}

export function standardAttributes(model: DataModel): DataAttributeObject[] {
  return (model === "contact" ? CONTACT_ROWS : COMPANY_ROWS).map((row) => toAttribute(model, row));
}
