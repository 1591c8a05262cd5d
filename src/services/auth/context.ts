import type { Database } from '../../db/client';
import type { JwtConfig } from '../../lib/jwt';
import type { Logger } from '../../lib/logger';

/** A client or an open transaction: helpers that only read and write work with both. */
export type Db = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

/** What the auth services need: no HTTP types. */
export interface AuthServiceContext {
  db: Database;
  jwt: JwtConfig;
  logger: Logger;
}

/** Client details stored beside a refresh token (hashed IP: no raw addresses at rest). */
export interface ClientMeta {
  userAgent?: string;
  ip?: string;
}

/** Postgres unique_violation, whatever the driver wraps it in. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
