import type { Role } from '../../db/schema/roles';
import type { Tenant } from '../../db/schema/tenants';

/** The tenant as login, register and /me return it (PRD: id, name, plan, settings). */
export function tenantView(
  t: Pick<Tenant, 'id' | 'name' | 'plan' | 'timezone' | 'currency' | 'language' | 'settings'>,
) {
  return {
    id: t.id,
    name: t.name,
    plan: t.plan,
    settings: { ...t.settings, timezone: t.timezone, currency: t.currency, language: t.language },
  };
}

export function userView(u: { id: string; email: string; fullName: string; tenantId: string; role: Role }) {
  return { id: u.id, email: u.email, fullName: u.fullName, tenantId: u.tenantId, role: u.role };
}
