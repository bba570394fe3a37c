import { bigserial, boolean, date, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A field of a licence type: shown on public verification when `public`; personal data when `personal`. */
export interface LicenseField {
  key: string;
  label: string;
  public: boolean;
  personal: boolean;
}

/** Serial numbers of licences issued here (the 流水号 of GB/T 36904 identifiers). */
export const licenseSerialSeq = pgSequence('license_serial_seq', { startWith: 1 });

/** Licence types (电子证照类型), seeded from data/licenses/license-types.json. */
export const licenseTypes = pgTable('license_types', {
  /** e.g. resident_id, business_license (the codes item materials use) */
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** GB/T 36904 证照类型代码: definer's credit code (18) + serial (3) */
  typeCode: text('type_code').notNull().unique(),
  definer: text('definer').notNull(),
  issuerName: text('issuer_name').notNull(),
  /** the issuing department when it is on the platform */
  issuerDepartmentCode: text('issuer_department_code'),
  /** person (by citizen ID number) | organization (by unified social credit code) */
  holderKind: text('holder_kind').notNull(),
  fields: jsonb('fields').$type<LicenseField[]>().notNull(),
  /** usual validity in years; null = no expiry */
  validityYears: integer('validity_years'),
  law: text('law').notNull().default(''),
});

/**
 * Licences (电子证照): issued here on a granted application, or imported to stand for the
 * national licence library. Content is sealed (SM2 over its canonical JSON). Never deleted:
 * revocation and suspension are recorded with their reason.
 */
export const licenses = pgTable(
  'licenses',
  {
    id: uuid('id').primaryKey(),
    /** GB/T 36904 identifier, check character included */
    identifier: text('identifier').notNull().unique(),
    typeCode: text('type_code')
      .notNull()
      .references(() => licenseTypes.code),
    holderKind: text('holder_kind').notNull(),
    /**
     * citizen ID number or USCC of the holder. Personal data, sealed (platform/pii-vault.ts, field
     * `licenses.holder_id_number`); masked outside the holder's view.
     */
    holderIdNumber: text('holder_id_number').notNull(),
    /** HMAC-SHA256 search hash of the holder's number (kind `id`): the wallet and licence checks look up by it */
    holderIdNumberHash: text('holder_id_number_hash'),
    holderName: text('holder_name').notNull(),
    issuerName: text('issuer_name').notNull(),
    /** the licence's fields; ID numbers and phones among them sealed (field `licenses.data`) */
    data: jsonb('data').$type<Record<string, string>>().notNull(),
    /** Asia/Shanghai dates */
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    /** valid | suspended | revoked */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    /** issued | import */
    source: text('source').notNull(),
    applicationId: uuid('application_id'),
    /**
     * canonical JSON of the licence as sealed, its SM3 and the SM2 signature of the sealing
     * department. `content` holds the holder's number, so it is stored sealed whole (field
     * `licenses.content`); the digest and signature are over the plaintext.
     */
    content: text('content').notNull(),
    contentSm3: text('content_sm3').notNull(),
    signature: text('signature').notNull(),
    sealId: uuid('seal_id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('licenses_holder_hash_idx').on(t.holderIdNumberHash)],
);

/**
 * The holder's authorisations to use a licence (用证授权): for one application, or for a
 * department and purpose, until a time.
 */
export const licenseAuthorizations = pgTable(
  'license_authorizations',
  {
    id: uuid('id').primaryKey(),
    licenseId: uuid('license_id')
      .notNull()
      .references(() => licenses.id),
    holderId: uuid('holder_id').notNull(),
    applicationId: uuid('application_id'),
    departmentCode: text('department_code'),
    purpose: text('purpose').notNull().default(''),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('license_authorizations_license_idx').on(t.licenseId)],
);

/** Every retrieval of a licence's data by someone other than its holder (用证记录). */
export const licenseAccessLog = pgTable(
  'license_access_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    licenseId: uuid('license_id').notNull(),
    accessorId: uuid('accessor_id').notNull(),
    accessorName: text('accessor_name').notNull(),
    departmentCode: text('department_code'),
    applicationId: uuid('application_id'),
    authorizationId: uuid('authorization_id'),
    purpose: text('purpose').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** whether the licence verified (sealed content intact, in force) at retrieval */
    verified: boolean('verified').notNull(),
  },
  (t) => [index('license_access_log_license_idx').on(t.licenseId, t.at)],
);
