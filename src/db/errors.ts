/** Postgres unique_violation, whatever the driver wraps it in. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = 'cause' in e ? e.cause : undefined) {
    if ('code' in e && e.code === '23505') return true;
  }
  return false;
}
