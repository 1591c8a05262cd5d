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

export async function seedDemo({ apiBase }) {
  let login = await post(`${apiBase}/api/auth/login`, { email: DEMO.email, password: DEMO.password });
  if (login.status === 404) return { ...DEMO, note: 'auth routes not available yet' };
  if (login.status !== 200) {
    const reg = await post(`${apiBase}/api/auth/register`, DEMO);
    if (reg.status !== 201 && reg.status !== 409) throw new Error(`register answered ${reg.status}`);
    login = await post(`${apiBase}/api/auth/login`, { email: DEMO.email, password: DEMO.password });
  }
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { ...DEMO, accessToken: login.json.tokens?.accessToken };
}
