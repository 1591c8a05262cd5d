// Seeds the demo account through the API itself, so it goes through the same code as a real user.
// Idempotent: a second run logs in instead of registering again.
export const DEMO = {
  email: 'demo@sellerpulse.dev',
  password: 'Demo!Seller2026',
  fullName: 'Demo Seller',
  companyName: 'Demo Seller Co',
};

async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, json };
}

async function get(url, headers = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, json: await res.json().catch(() => ({})) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects the demo tenant to the sandbox's demo seller the way a user would: Seller Central's
 * consent redirect, then POST /api/auth/connect-amazon with the code; points the seller's
 * notifications at our webhook; waits for the initial backfill and adds a pricing sync.
 */
async function connectDemoSeller({ apiBase, sandboxBase, accessToken, notificationsKey, waitMs = 180_000 }) {
  const auth = { authorization: `Bearer ${accessToken}` };
  const status = await get(`${apiBase}/api/auth/connect-amazon`, auth);
  if (status.status !== 200) return 'Amazon connection routes not available yet';
  if (status.json.connections?.some((c) => c.type === 'SPAPI' && c.isActive))
    return 'demo seller already connected';
  const presets = await get(`${sandboxBase}/_sandbox/presets`);
  const sellerId = presets.json.defaultSellerId ?? 'A2DEMOSELLER01';
  const redirectUri = `${apiBase}/amazon/callback`;
  const consent = await get(
    `${apiBase}/api/auth/connect-amazon/consent-url?redirectUri=${encodeURIComponent(redirectUri)}`,
    auth,
  );
  const url = new URL(consent.json.url ?? `${sandboxBase}/apps/authorize/consent`);
  url.searchParams.set('selling_partner_id', sellerId);
  const redirect = await fetch(url, { redirect: 'manual' });
  // Seller Central's redirect carries the code, our state (checked by connect) and the seller id.
  const back = new URL(redirect.headers.get('location')).searchParams;
  const connected = await post(
    `${apiBase}/api/auth/connect-amazon`,
    {
      authorizationCode: back.get('spapi_oauth_code'),
      redirectUri,
      region: 'na',
      marketplaceIds: [],
      sellingPartnerId: back.get('selling_partner_id') ?? sellerId,
      state: back.get('state') ?? '',
    },
    auth,
  );
  if (connected.status !== 200) throw new Error(`connect-amazon answered ${connected.status}`);
  if (notificationsKey) {
    await fetch(`${sandboxBase}/_sandbox/sellers/${sellerId}/notifications/target`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `${apiBase}/api/webhooks/amazon`,
        headerName: 'x-api-key',
        headerValue: notificationsKey,
      }),
    });
  }
  const deadline = Date.now() + waitMs;
  let pricingQueued = false;
  while (Date.now() < deadline) {
    const s = await get(`${apiBase}/api/sync/status`, auth);
    const running = s.json.currentJobs ?? [];
    // Buy box data needs the products the inventory sync creates: pricing follows it.
    if (!pricingQueued && !running.some((j) => j.type === 'inventory')) {
      await post(`${apiBase}/api/sync/manual`, { types: ['pricing'] }, auth);
      pricingQueued = true;
    } else if (pricingQueued && running.length === 0) {
      return `demo seller ${sellerId} connected and synced`;
    }
    await sleep(2000);
  }
  return `demo seller ${sellerId} connected; the initial sync is still running (GET /api/sync/status)`;
}

export async function seedDemo({ apiBase, sandboxBase, notificationsKey }) {
  let login = await post(`${apiBase}/api/auth/login`, { email: DEMO.email, password: DEMO.password });
  if (login.status === 404) return { ...DEMO, note: 'auth routes not available yet' };
  if (login.status !== 200) {
    const reg = await post(`${apiBase}/api/auth/register`, DEMO);
    if (reg.status !== 201 && reg.status !== 409) throw new Error(`register answered ${reg.status}`);
    login = await post(`${apiBase}/api/auth/login`, { email: DEMO.email, password: DEMO.password });
  }
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const accessToken = login.json.tokens?.accessToken;
  const note = sandboxBase
    ? await connectDemoSeller({ apiBase, sandboxBase, accessToken, notificationsKey })
    : undefined;
  return { ...DEMO, accessToken, ...(note ? { note } : {}) };
}
