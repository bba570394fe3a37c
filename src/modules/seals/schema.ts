import { sql } from 'drizzle-orm';
import { pgTable, text, uuid, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Electronic seals (电子印章), modelled on GB/T 38540: the seal's name and holder, its validity,
 * and the signer's SM2 key pair. The private key is stored encrypted (AES-256-GCM, master key).
 * A rotated seal becomes `retired` but stays, so the decisions it sealed remain verifiable.
 */
export const seals = pgTable(
  'seals',
  {
    id: uuid('id').primaryKey(),
    departmentCode: text('department_code').notNull(),
    name: text('name').notNull(),
    /** 1 单位印章 (GB/T 38540 SES_ESPropertyInfo.type) */
    sealType: text('seal_type').notNull().default('1'),
    publicKey: text('public_key').notNull(),
    privateKeyEnc: text('private_key_enc').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    /** active | retired */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  // At most one active seal per department, also when two decisions create it at once.
  (t) => [uniqueIndex('seals_one_active').on(t.departmentCode).where(sql`status = 'active'`)],
);
