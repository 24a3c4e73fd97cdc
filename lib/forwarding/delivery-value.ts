import { z } from "zod";

/**
 * What answer_deliveries.value holds when recordWidgetAnswer wrote it: an option's reason code
 * or text, a free-text answer, or a rating. Read back through this before anything is sent, so a
 * row that lost that shape is never written to Intercom (where a refusal would be blamed on the
 * mapping).
 */
export const deliveryValueSchema = z.union([z.string(), z.number()]);

export const INVALID_VALUE = "invalid_value";
export const INVALID_VALUE_MESSAGE = "The stored value is not a string or a number, so it was not sent to Intercom";
