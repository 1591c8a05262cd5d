import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client';
import { createJobs } from '../../src/services/sync/engine/jobs';
import { testDb } from './harness';
import { connectSettled, settle } from './sync-helpers';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * For the duration of `run`, Postgres refuses every new `orders` row of one tenant with a real CHECK
 * constraint violation (23514). Other tenants' rows pass, so concurrent tests are untouched.
 */
async function refuseOrdersOf(tenantId: string, run: (constraint: string) => Promise<void>) {
  const constraint = `test_refuse_${crypto.randomUUID().replaceAll('-', '')}`;
  await testDb().execute(
    sql.raw(
      `ALTER TABLE orders ADD CONSTRAINT ${constraint} CHECK (tenant_id <> '${tenantId}'::uuid) NOT VALID`,
    ),
  );
  try {
    await run(constraint);
  } finally {
    await testDb().execute(sql.raw(`ALTER TABLE orders DROP CONSTRAINT ${constraint}`));
  }
}

describe('sync errors keep no bound values', () => {
  it('a database failure during a sync leaves a job error, an alert and log lines with SQLSTATE and constraint, without the query or any bound value', async () => {
    const { tenant, sellerId } = await connectSettled();
    // The rows the failing statement will carry: the seller's orders, as the first backfill stored them.
    const stored = await queryRows<{ amazon_order_id: string; ship_city_hash: string | null }>(
      testDb(),
      sql`SELECT amazon_order_id, ship_city_hash FROM orders WHERE tenant_id = ${tenant.id}`,
    );
    expect(stored.length).toBeGreaterThan(10);
    const boundValues = [
      tenant.id,
      sellerId,
      ...stored.map((o) => o.amazon_order_id),
      ...stored.flatMap((o) => (o.ship_city_hash ? [o.ship_city_hash] : [])),
    ];
    await testDb().execute(sql`DELETE FROM orders WHERE tenant_id = ${tenant.id}`);
    const [job] = await createJobs(testDb(), [
      {
        tenantId: tenant.id,
        type: 'orders',
        trigger: 'manual',
        priority: 'high',
        range: { start: new Date(Date.now() - 40 * 86_400_000), end: new Date() },
      },
    ]);
    const lines: string[] = [];
    const capture = (line: unknown) => {
      lines.push(String(line));
    };
    vi.spyOn(console, 'error').mockImplementation(capture);
    vi.spyOn(console, 'warn').mockImplementation(capture);

    await refuseOrdersOf(tenant.id, async (constraint) => {
      const { job: failed } = await settle(tenant.id, job!.id, { maxAttempts: 2 });
      expect(failed.status).toBe('failed');
      const reason = failed.errorMessage ?? '';
      expect(reason).toMatch(
        new RegExp(
          `^database error 23514 \\(constraint ${constraint}, table orders\\): new row for relation "orders" violates check constraint "${constraint}" \\(gave up after 2 attempts\\)$`,
        ),
      );
      const [alert] = await queryRows<{ message: string }>(
        testDb(),
        sql`SELECT message FROM alerts WHERE tenant_id = ${tenant.id} AND type = 'SYNC_FAILED' AND status = 'active'`,
      );
      expect(alert!.message).toBe(reason);
      // The retried attempt and the final failure were logged with the same safe text.
      const logged = lines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((l) => l.jobId === job!.id);
      expect(logged.map((l) => l.message)).toEqual(['sync attempt failed, will retry', 'sync failed']);
      for (const l of logged) expect(l.error).toMatch(/^database error 23514 \(constraint /);
      for (const text of [reason, alert!.message, ...lines]) {
        expect(text).not.toMatch(/params:|Failed query|insert into|unnest/i);
        for (const value of boundValues) expect(text).not.toContain(value);
      }
    });
    // Nothing was written for the tenant by the refused statements.
    const [after] = await queryRows<{ n: number }>(
      testDb(),
      sql`SELECT count(*)::int AS n FROM orders WHERE tenant_id = ${tenant.id}`,
    );
    expect(Number(after!.n)).toBe(0);
  });
});
