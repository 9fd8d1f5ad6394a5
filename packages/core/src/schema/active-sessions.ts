import type { View } from "../model/types.js";

const s = (column: string) => ({ table: "s", column });
const u = (column: string) => ({ table: "u", column });

/** Sessions that are active and unexpired, with their user's email and name. */
export const activeSessions: View = {
  name: "active_sessions",
  comment: "Active, unexpired sessions with their user's email and name. Managed by Better Auth.",
  from: { table: "sessions", alias: "s" },
  join: { table: "users", alias: "u", on: { left: u("id"), right: s("user_id") } },
  select: [
    s("id"), s("user_id"), s("token"), s("expires_at"), s("created_at"),
    s("ip_address"), s("user_agent"), u("email"), u("name"),
  ],
  where: [
    { kind: "isTrue", column: s("active") },
    { kind: "afterNow", column: s("expires_at") },
  ],
};
