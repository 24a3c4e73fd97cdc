// GET /api/integrations/intercom/callback: Intercom returns here after consent; finishes the connection.
import type { NextRequest } from "next/server";
import { getAdminSession } from "@/lib/auth/session";
import { handleIntercomCallback } from "@/lib/connections/oauth-callback";

export function GET(req: NextRequest) {
  return handleIntercomCallback(req, getAdminSession);
}
