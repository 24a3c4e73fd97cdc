import { redirect } from "next/navigation";
import { getAdminSession } from "@/lib/auth/session";

export default async function Home() {
  redirect((await getAdminSession()) ? "/subscribers" : "/sign-in");
}
