export { users } from "./users.js";
export { sessions } from "./sessions.js";
export { accounts } from "./accounts.js";
export { organization } from "./organization.js";
export { member } from "./member.js";
export { invitation, INVITATION_STATUSES } from "./invitation.js";
export { activeSessions } from "./active-sessions.js";
export { touchUpdatedAt, cleanupExpiredSessions } from "./routines.js";
