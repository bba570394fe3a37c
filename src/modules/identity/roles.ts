/** The roles of the platform; shared by the server and the web app. */
export const ROLES = ['citizen', 'enterprise', 'clerk', 'reviewer', 'signatory', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];
