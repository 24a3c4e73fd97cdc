import { z } from "zod";

// Short codes travel in the callback redirect (?error=<code>); the page turns them into words.
export const connectErrorCodeSchema = z.enum([
  "state_mismatch",
  "state_expired",
  "state_replayed",
  "denied",
  "bad_code",
  "workspace_taken",
  "intercom_rejected",
  "intercom_unreachable",
  "unexpected",
]);
export type ConnectErrorCode = z.infer<typeof connectErrorCodeSchema>;

/** What went wrong; connectErrorNotice adds what it means for the account's connection. */
export const connectErrorMessages: Record<ConnectErrorCode, { title: string; message: string }> = {
  state_mismatch: {
    title: "This connection attempt could not be verified",
    message: "The reply from Intercom did not match a connection started from this browser, so Holdfast ignored it.",
  },
  state_expired: {
    title: "The connection attempt expired",
    message: "Connecting must be finished within 10 minutes of starting.",
  },
  state_replayed: {
    title: "This connection link was already used",
    message: "Each attempt to connect can be completed once, and this one already was.",
  },
  denied: {
    title: "Access was not granted",
    message: "Access was declined on Intercom's consent page.",
  },
  bad_code: {
    title: "Intercom rejected the authorization code",
    message: "The one-time code from Intercom's consent page was refused, usually because it expired or was already used.",
  },
  workspace_taken: {
    title: "This Intercom workspace is connected to another Holdfast account",
    message: "A workspace can be connected to one Holdfast account at a time. Disconnect it from the other account first, or connect a different workspace.",
  },
  intercom_rejected: {
    title: "Intercom did not share the workspace details",
    message: "Holdfast could not read the workspace behind this connection. Check that the Holdfast app is allowed to read admins.",
  },
  intercom_unreachable: {
    title: "Intercom could not be reached",
    message: "Intercom did not answer in time or answered with an error. Wait a minute before trying again.",
  },
  unexpected: {
    title: "Something went wrong while connecting",
    message: "If it keeps happening, contact support.",
  },
};

/**
 * The notice for a failed callback (?error=<code>), ending with where the account stands: a
 * failed attempt never touches an existing connection, and the page below may show one.
 */
export function connectErrorNotice(
  code: string,
  connection: { status: "connected" | "reconnect_required" | "disconnected"; workspaceName: string } | null,
): { title: string; message: string } {
  const parsed = connectErrorCodeSchema.safeParse(code);
  const { title, message } = connectErrorMessages[parsed.success ? parsed.data : "unexpected"];
  const standing =
    connection?.status === "connected"
      ? `Your existing connection to ${connection.workspaceName} is unchanged.`
      : connection?.status === "reconnect_required"
        ? `${connection.workspaceName} still needs reconnecting: try “Reconnect Intercom” again.`
        : "Nothing was connected. Try again with “Connect Intercom”.";
  return { title, message: `${message} ${standing}` };
}
