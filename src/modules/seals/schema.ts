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
    /** 印章编码 (GB/T 38540 SES_SealInfo.esID): district code + department + serial */
    esId: text('es_id'),
    /** what it is for, printed under the star, e.g. 行政审批专用章 */
    purpose: text('purpose').notNull().default(''),
    /** the seal picture (SES_ESPictrueInfo): SVG, 42 mm round seal */
    pictureSvg: text('picture_svg').notNull().default(''),
    /** canonical JSON of the seal information (header, esID, property, picture digest, signer's public key) */
    sealInfo: text('seal_info').notNull().default(''),
    /** the seal maker's (制章者) SM2 signature over `sealInfo` (GB/T 38540 signInfo) */
    makerSignature: text('maker_signature').notNull().default(''),
    /** when a rotation retired it: documents sealed later with it are not authentic */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  // At most one active seal per department, also when two decisions create it at once.
  (t) => [uniqueIndex('seals_one_active').on(t.departmentCode).where(sql`status = 'active'`)],
);

/**
 * The platform's own keys, e.g. the seal maker key (制章者) that signs every seal's information.
 * Private keys are stored encrypted with the master key.
 */
export const platformKeys = pgTable('platform_keys', {
  name: text('name').primaryKey(),
  publicKey: text('public_key').notNull(),
  privateKeyEnc: text('private_key_enc').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
