import { z } from '@hono/zod-openapi';

/** Every money value: an exact decimal string rounded to 2 places (4 for unit costs) and its currency. */
export const MoneySchema = z
  .object({
    amount: z.string().openapi({ example: '1234.50' }),
    currency: z.string().length(3).openapi({ example: 'USD' }),
  })
  .openapi('Money');

export const CurrencyQuery = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD')
  .optional()
  .openapi({ description: "Currency whose rows the totals add up (default: the tenant's currency)" });

/**
 * Deepest row offset pagination reaches (page × limit). Postgres reads and discards every skipped
 * row, so deeper pages cost more and more; past this a caller narrows the filters instead (or, where
 * a route has one, follows its cursor).
 */
export const MAX_PAGED_ROWS = 10_000;

export const PageQuery = z.coerce.number().int().min(1).max(MAX_PAGED_ROWS).default(1);
export const LimitQuery = z.coerce.number().int().min(1).max(100).default(25);

/** Add to a query with `page` and `limit`: `.superRefine(limitPageDepth)`; 400 beyond MAX_PAGED_ROWS. */
export function limitPageDepth(q: { page: number; limit: number }, ctx: z.RefinementCtx): void {
  if (q.page * q.limit <= MAX_PAGED_ROWS) return;
  ctx.addIssue({
    code: 'custom',
    path: ['page'],
    message: `page × limit must be at most ${MAX_PAGED_ROWS} rows; narrow the date range or filters`,
  });
}

export const PaginationSchema = z
  .object({
    page: z.number().int().nullable(),
    limit: z.number().int(),
    total: z.number().int(),
    pages: z.number().int(),
  })
  .openapi('Pagination');

/** `true`/`false` in a query string. */
export const BoolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Loose object for nested report sections documented in the route description. */
export const Section = z.record(z.string(), z.unknown());

/**
 * A query list of enum values, given repeated (`a=x&a=y`), as `a[]=`, or comma separated (`a=x,y`).
 */
export function enumList<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .preprocess(
      (v) =>
        v === undefined
          ? undefined
          : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter(Boolean),
      z.array(z.enum(values)).max(values.length),
    )
    .optional();
}

/** `content` of a JSON request or response in a route declaration. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: jsonContent(schema),
});

/** A JSON response with its description. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: jsonContent(schema),
});

/**
 * A person's or company's name as typed by a user. Control characters (CR, LF, tab…) are refused:
 * names end up in mail subjects and headers, where a line break would inject a header.
 */
export const DisplayName = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .regex(/^\P{Cc}*$/u, 'must not contain control characters such as line breaks');
