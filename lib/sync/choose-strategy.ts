import { LOOKUP_BATCH } from "./contact-lookup-batch";
import { PER_PAGE } from "./search-pages";

export type SyncStrategy = "scan" | "lookup";

// Looking up is chosen only when it is clearly cheaper: a batch of emails can answer more than one
// page (duplicates), each IN search costs Intercom more than a plain page, and below a few
// thousand contacts either way takes seconds.
const LOOKUP_ADVANTAGE = 2;
const MIN_SCAN_PAGES_FOR_LOOKUP = 20;

export interface StrategyCost {
  strategy: SyncStrategy;
  scanCalls: number;
  lookupCalls: number;
}

/**
 * Scan: page through every contact the window holds, ceil(contacts / 150) calls. Lookup: search
 * the account's subscribers by email, ceil(subscribers / 100) calls whatever the workspace size.
 */
export function chooseStrategy(input: { contacts: number; subscribers: number }): StrategyCost {
  const scanCalls = Math.ceil(input.contacts / PER_PAGE);
  const lookupCalls = Math.ceil(input.subscribers / LOOKUP_BATCH);
  const lookup = scanCalls >= MIN_SCAN_PAGES_FOR_LOOKUP && lookupCalls * LOOKUP_ADVANTAGE <= scanCalls;
  return { strategy: lookup ? "lookup" : "scan", scanCalls, lookupCalls };
}
