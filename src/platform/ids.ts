/** Record identifiers. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` is a UUID (RFC 9562 text form, any case). Ids from a URL or a body are checked
 * with it before they reach a `uuid` column: anything else cannot name a record (the caller
 * answers "not found"), and PostgreSQL would refuse to compare it.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
