import { sql } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors';
import { tenants, users } from '../../db/schema';
import { ConflictError } from '../../lib/errors';
import { hashPassword } from '../../lib/password';
import type { ServiceContext } from '../context';
import { recordActivity } from './activity';
import { normalizeEmail } from './email';
import { type ClientMeta, issueSession } from './sessions';
import { tenantView, userView } from './views';

export interface RegisterInput {
  email: string;
  password: string;
  fullName: string;
  companyName: string;
  phone?: string;
  timezone?: string;
  language?: 'pt-BR' | 'en-US';
  client?: ClientMeta;
}

const EMAIL_TAKEN = 'An account with this email already exists';

/** Creates a tenant (STARTER) and its owner, then signs the owner in. */
export async function register(ctx: Pick<ServiceContext, 'db' | 'env'>, input: RegisterInput) {
  const email = normalizeEmail(input.email);
  const { db } = ctx;
  const taken = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  if (taken.length > 0) throw new ConflictError(EMAIL_TAKEN);

  const passwordHash = await hashPassword(input.password);
  let created: { user: typeof users.$inferSelect; tenant: typeof tenants.$inferSelect };
  try {
    created = await db.transaction(async (tx) => {
      const [tenant] = await tx
        .insert(tenants)
        .values({
          name: input.companyName,
          plan: 'STARTER',
          timezone: input.timezone ?? 'UTC',
          language: input.language ?? 'en-US',
        })
        .returning();
      const [user] = await tx
        .insert(users)
        .values({
          tenantId: tenant!.id,
          email,
          passwordHash,
          fullName: input.fullName,
          phone: input.phone ?? null,
          role: 'owner',
        })
        .returning();
      await recordActivity(tx, {
        tenantId: tenant!.id,
        userId: user!.id,
        action: 'auth.register',
        entityType: 'tenant',
        entityId: tenant!.id,
      });
      return { user: user!, tenant: tenant! };
    });
  } catch (err) {
    // Two registrations racing for one email: the unique index on lower(email) decides.
    if (isUniqueViolation(err)) throw new ConflictError(EMAIL_TAKEN);
    throw err;
  }
  const tokens = await issueSession(ctx, { user: created.user, client: input.client });
  return {
    success: true as const,
    user: userView(created.user),
    tokens,
    tenant: tenantView(created.tenant),
  };
}
