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

export const connectErrorMessages: Record<ConnectErrorCode, { title: string; message: string }> = {
  state_mismatch: {
    title: "This connection attempt could not be verified",
    message:
      "The reply from Intercom did not match a connection started from this browser, so nothing was connected. Start again with “Connect Intercom”.",
  },
  state_expired: {
    title: "The connection attempt expired",
    message: "Connecting must be finished within 10 minutes of starting. Start again with “Connect Intercom”.",
  },
  state_replayed: {
    title: "This connection link was already used",
    message: "Each attempt to connect can be completed once. Start again with “Connect Intercom” if you are not connected.",
  },
  denied: {
    title: "Access was not granted",
    message: "Intercom reports that access was declined, so Holdfast is not connected. Connect again and choose “Authorize access”.",
  },
  bad_code: {
    title: "Intercom rejected the authorization code",
    message: "Intercom rejected the authorization code. Try connecting again.",
  },
  workspace_taken: {
    title: "This Intercom workspace is connected to another Holdfast account",
    message:
      "A workspace can be connected to one Holdfast account at a time. Disconnect it from the other account first, or connect a different workspace.",
  },
  intercom_rejected: {
    title: "Intercom did not share the workspace details",
    message:
      "Holdfast could not read the workspace behind this connection. Check that the Holdfast app is allowed to read admins, then connect again.",
  },
  intercom_unreachable: {
    title: "Intercom could not be reached",
    message: "Intercom did not answer in time or answered with an error. Nothing was connected; try again in a minute.",
  },
  unexpected: {
    title: "Something went wrong while connecting",
    message: "Nothing was connected. Try again; if it keeps happening, contact support.",
  },
};
