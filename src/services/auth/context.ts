import type { Database } from '../../db/client';
import type { JwtConfig } from '../../lib/jwt';
import type { Logger } from '../../lib/logger';

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

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
