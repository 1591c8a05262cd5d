import { DrizzleQueryError } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError } from '../../src/lib/errors';
import { createLogger } from '../../src/lib/logger';
import { withFailingInsert } from './db-faults';
import { api, STRONG_PASSWORD, uniqueEmail, uniqueIp } from './harness';

interface Envelope {
  error: { code: string; message: string; requestId: string };
}

afterEach(() => vi.restoreAllMocks());

/** A driver error the way postgres.js reports a server error. */
function postgresError(fields: Record<string, string>) {
  return Object.assign(new Error(fields.message), { name: 'PostgresError', ...fields });
}

describe('database errors never carry bound parameters into logs or answers', () => {
  it('a failing insert through a real route logs the Postgres code, not the email, hash or name', async () => {
    const email = uniqueEmail('leak');
    const fullName = `Marker ${crypto.randomUUID()}`;
    const errorLines = vi.spyOn(console, 'error');
    await withFailingInsert(
      { table: 'users', column: 'full_name', marker: fullName, errcode: '23514', withEmail: true },
      async () => {
        const res = await api('/api/auth/register', {
          method: 'POST',
          json: { email, password: STRONG_PASSWORD, fullName, companyName: 'Leak Test Company' },
          headers: { 'cf-connecting-ip': uniqueIp() },
        });
        expect(res.status).toBe(500);
        const text = await res.text();
        expect((JSON.parse(text) as Envelope).error).toMatchObject({
          code: 'INTERNAL_ERROR',
          message: 'Internal server error',
        });
        expect(text).not.toContain(email);
      },
    );
    const lines = errorLines.mock.calls.map((c) => String(c[0]));
    const logged = lines.find((l) => l.includes('unhandled error') && l.includes('/api/auth/register'));
    expect(logged).toBeDefined();
    // The real cause is kept: SQLSTATE and the server's message (with the row's email blanked).
    expect(logged).toContain('database error 23514');
    expect(logged).toContain('refused row for [param]');
    // Nothing bound to the statement: email, full name, company, scrypt hash; nor the SQL text.
    for (const secret of [email, fullName, 'Leak Test Company', 'scrypt$', 'params:', 'insert into']) {
      expect(logged).not.toContain(secret);
    }
  });

  it('describeError keeps SQLSTATE, constraint, table and column and drops query and params', () => {
    const cause = postgresError({
      message: 'duplicate key value violates unique constraint "users_email_lower_uq"',
      code: '23505',
      constraint_name: 'users_email_lower_uq',
      table_name: 'users',
      detail: 'Key (lower(email))=(someone@example.com) already exists.',
    });
    const err = new DrizzleQueryError(
      'insert into "users" ("email") values ($1)',
      ['someone@example.com'],
      cause,
    );
    expect(err.message).toContain('someone@example.com');
    expect(describeError(err)).toBe(
      'database error 23505 (constraint users_email_lower_uq, table users): duplicate key value violates unique constraint "users_email_lower_uq"',
    );
  });

  it('blanks input values the server quotes in its message, and bound values anywhere in it', () => {
    const cause = postgresError({
      message: 'invalid input syntax for type uuid: "not-a-uuid"',
      code: '22P02',
    });
    const err = new DrizzleQueryError(
      'select 1 where id = $1',
      ['not-a-uuid', 'scrypt$v=1$N=16384,r=8,p=5$abc$def'],
      cause,
    );
    const described = describeError(err);
    expect(described).toBe('database error 22P02: invalid input syntax for type uuid: "[value]"');
    const unwrapped = describeError(postgresError({ message: 'value "s3cr3t-value" is bad', code: '22023' }));
    expect(unwrapped).toBe('database error 22023: value "[value]" is bad');
  });

  it('the logger serialises any error it is given through describeError', () => {
    const errorLines = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cause = postgresError({ message: 'connection reset', code: '08006' });
    const err = new DrizzleQueryError(
      'update "users" set "password_hash" = $1',
      ['scrypt$v=1$secret'],
      cause,
    );
    createLogger('info').error('sync failed', { error: err, jobId: 'job-1' });
    const line = String(errorLines.mock.calls[0]?.[0]);
    expect(JSON.parse(line)).toMatchObject({
      message: 'sync failed',
      jobId: 'job-1',
      error: { name: 'Error', message: 'database error 08006: connection reset' },
    });
    expect(line).not.toContain('scrypt');
    expect(describeError(new Error('outer', { cause: new TypeError('inner') }))).toBe(
      'Error: outer (cause: TypeError: inner)',
    );
  });
});
