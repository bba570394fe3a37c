/** The roles of the platform; shared by the server and the web app. */
export const ROLES = ['citizen', 'enterprise', 'clerk', 'reviewer', 'signatory', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];
/** Roles of applicants (people and enterprises). */
export const APPLICANT_ROLES = ['citizen', 'enterprise'] as const satisfies readonly Role[];
/** Roles of staff (window, back office, approval bureau, service team, administration). */
export const STAFF_ROLES = ['clerk', 'reviewer', 'signatory', 'admin', 'agent'] as const satisfies readonly Role[];
