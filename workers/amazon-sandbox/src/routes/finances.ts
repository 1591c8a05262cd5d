import { Hono } from 'hono';
import { financialEventsV0, transaction2024 } from '../data/finance-views';
import { type EventCursor, fmtCurrency, scanEvents } from '../data/finances';
import { decodeToken, encodeToken } from '../data/order-query';
import { findOrder } from '../data/orders';
import {
  settlementEvents,
  settlementFromGroupId,
  settlementsFor,
  settlementTotalCents,
} from '../data/settlements';
import { invalidInput, notFound } from '../lib/errors';
import { differentArguments, type PageArguments, pageArguments } from '../lib/paging';
import { intParam, timeParam } from '../lib/params';
import { type SpEnv, spGate } from '../lib/sp-gate';
import { iso } from '../lib/time';

/** Finances v0 and 2024-06-19. */
export const finances = new Hono<SpEnv>();

/** A page token holds the query and the arguments that produced it (a next page must repeat them). */
type EventsToken = {
  f: number;
  t: number;
  n: number;
  c: EventCursor;
  m?: string;
  lim: number;
  a: PageArguments;
};

finances.get('/finances/v0/financialEvents', spGate('listFinancialEvents'), (c) => {
  const now = Date.now();
  const token = c.req.query('NextToken');
  const decoded = token ? decodeToken<EventsToken>(token) : undefined;
  let q: EventsToken;
  // A token we did not issue (such as Amazon's own sandbox example) starts a fresh query instead of failing.
  if (decoded?.c) {
    const refused = differentArguments(c, 'NextToken', decoded.a);
    if (refused) return refused;
    q = decoded;
  } else {
    const after = timeParam(c, 'PostedAfter');
    const before = timeParam(c, 'PostedBefore');
    if (after === 'invalid' || before === 'invalid')
      return invalidInput(c, 'Invalid date format. Use ISO 8601.');
    const max = intParam(c, 'MaxResultsPerPage', 100);
    if (max === undefined || max < 1 || max > 100)
      return invalidInput(c, 'MaxResultsPerPage must be between 1 and 100.');
    if (before !== undefined && after !== undefined && before <= after)
      return invalidInput(c, 'PostedBefore must be after PostedAfter.');
    if (before !== undefined && before > now - 120_000)
      return invalidInput(c, 'PostedBefore must be at least two minutes before the time of the request.');
    q = {
      f: after ?? now - 180 * 86_400_000,
      t: before ?? now - 120_000,
      n: now,
      c: { day: -1e9, index: 0 },
      lim: max,
      a: pageArguments(c, 'NextToken'),
    };
  }
  const page = scanEvents(
    c.get('seller'),
    { fromMs: q.f, toMs: q.t, nowMs: q.n },
    q.lim,
    q.c.day < -1e8 ? undefined : q.c,
  );
  return c.json({
    payload: {
      FinancialEvents: financialEventsV0(page.events),
      ...(page.next ? { NextToken: encodeToken({ ...q, c: page.next }) } : {}),
    },
  });
});

finances.get('/finances/v0/orders/:orderId/financialEvents', spGate('listFinancialEventsByOrderId'), (c) => {
  const id = c.req.param('orderId');
  if (!/^\d{3}-\d{7}-\d{7}$/.test(id)) return invalidInput(c, 'Invalid orderId.');
  const order = findOrder(c.get('seller'), id);
  const now = Date.now();
  const events = order
    ? scanEvents(c.get('seller'), { fromMs: order.createdMs, toMs: now + 1, nowMs: now }, 1000, {
        day: order.day,
        index: 0,
      }).events.filter((e) => e.order?.orderId === id)
    : [];
  return c.json({ payload: { FinancialEvents: financialEventsV0(events) } });
});

finances.get('/finances/v0/financialEventGroups', spGate('listFinancialEventGroups'), (c) => {
  const seller = c.get('seller');
  const now = Date.now();
  const after = timeParam(c, 'FinancialEventGroupStartedAfter');
  const before = timeParam(c, 'FinancialEventGroupStartedBefore');
  if (after === 'invalid' || before === 'invalid')
    return invalidInput(c, 'Invalid date format. Use ISO 8601.');
  const max = intParam(c, 'MaxResultsPerPage', 100);
  if (max === undefined || max < 1 || max > 100)
    return invalidInput(c, 'MaxResultsPerPage must be between 1 and 100.');
  const token = c.req.query('NextToken');
  const offset = token ? (decodeToken<{ o: number }>(token)?.o ?? 0) : 0;
  const from = after ?? now - 90 * 86_400_000;
  const all = settlementsFor(seller, now).filter(
    (s) =>
      s.startMs >= from - 14 * 86_400_000 && s.endMs > from && (before === undefined || s.startMs < before),
  );
  const page = all.slice(offset, offset + max);
  return c.json({
    payload: {
      FinancialEventGroupList: page.map((s) => {
        const cur = s.marketplace.currency;
        const total = settlementTotalCents(settlementEvents(seller, s, now));
        return {
          FinancialEventGroupId: s.groupId,
          ProcessingStatus: s.closed ? 'Closed' : 'Open',
          FundTransferStatus: s.closed ? (s.depositMs <= now ? 'Succeeded' : 'Processing') : 'Unknown',
          OriginalTotal: fmtCurrency(total, cur),
          ConvertedTotal: fmtCurrency(total, cur),
          ...(s.closed
            ? { FundTransferDate: iso(s.depositMs), TraceId: s.settlementId, AccountTail: '042' }
            : {}),
          BeginningBalance: fmtCurrency(0, cur),
          FinancialEventGroupStart: iso(s.startMs),
          ...(s.closed ? { FinancialEventGroupEnd: iso(s.endMs) } : {}),
        };
      }),
      ...(offset + max < all.length ? { NextToken: encodeToken({ o: offset + max }) } : {}),
    },
  });
});

finances.get(
  '/finances/v0/financialEventGroups/:eventGroupId/financialEvents',
  spGate('listFinancialEventsByGroupId'),
  (c) => {
    const seller = c.get('seller');
    const now = Date.now();
    const s = settlementFromGroupId(seller, c.req.param('eventGroupId'), now);
    if (!s) return invalidInput(c, 'Invalid eventGroupId.');
    const max = intParam(c, 'MaxResultsPerPage', 100) ?? 100;
    const token = c.req.query('NextToken');
    const cursor = token ? decodeToken<EventCursor>(token) : undefined;
    const page = scanEvents(
      seller,
      { fromMs: s.startMs, toMs: s.endMs, nowMs: now, marketplaceId: s.marketplace.id },
      max,
      cursor,
    );
    return c.json({
      payload: {
        FinancialEvents: financialEventsV0(page.events),
        ...(page.next ? { NextToken: encodeToken(page.next) } : {}),
      },
    });
  },
);

type TxToken = { f: number; t: number; n: number; c: EventCursor; m?: string; a: PageArguments };

finances.get('/finances/2024-06-19/transactions', spGate('listTransactions'), (c) => {
  const seller = c.get('seller');
  const now = Date.now();
  const token = c.req.query('nextToken');
  let q: TxToken | undefined;
  if (token) q = decodeToken<TxToken>(token);
  if (q?.c) {
    const refused = differentArguments(c, 'nextToken', q.a);
    if (refused) return refused;
  } else {
    // A token we did not issue (such as Amazon's own sandbox example) starts a fresh query instead of failing.
    const after = timeParam(c, 'postedAfter');
    const before = timeParam(c, 'postedBefore');
    if (after === 'invalid' || before === 'invalid')
      return invalidInput(c, 'Invalid date format. Use ISO 8601.');
    if (after === undefined) return invalidInput(c, 'postedAfter is required.');
    if (before !== undefined && before <= after)
      return invalidInput(c, 'postedBefore must be after postedAfter.');
    const marketplaceId = c.req.query('marketplaceId');
    q = {
      f: after,
      t: before ?? now - 120_000,
      n: now,
      c: { day: -1e9, index: 0 },
      ...(marketplaceId ? { m: marketplaceId } : {}),
      a: pageArguments(c, 'nextToken'),
    };
  }
  const page = scanEvents(
    seller,
    { fromMs: q.f, toMs: q.t, nowMs: q.n, ...(q.m ? { marketplaceId: q.m } : {}) },
    100,
    q.c.day < -1e8 ? undefined : q.c,
  );
  return c.json({
    payload: {
      transactions: page.events.map((e) => transaction2024(seller.id, e, q.n)),
      ...(page.next ? { nextToken: encodeToken({ ...q, c: page.next }) } : {}),
    },
  });
});

export { notFound };
