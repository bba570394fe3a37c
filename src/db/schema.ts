/** Every table of the platform, for Drizzle and drizzle-kit. Each module owns its own file. */
export * from '../modules/org/schema.js';
export * from '../modules/catalog/schema.js';
export * from '../modules/identity/schema.js';
export * from '../modules/applications/schema.js';
export * from '../modules/evaluations/schema.js';
export * from '../modules/seals/schema.js';
export * from '../modules/calendar/schema.js';
export * from '../modules/documents/schema.js';
export * from '../modules/chief-representatives/schema.js';
export * from '../modules/commitments/schema.js';
export * from '../modules/agency/schema.js';
export * from '../modules/licenses/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/stats/schema.js';
export * from '../platform/idempotency-schema.js';
