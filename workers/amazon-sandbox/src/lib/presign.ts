/** Presigned-URL lookalike for report documents: valid for five minutes, like Amazon's S3 links. */
const TTL_S = 300;

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const amzDate = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export async function presign(origin: string, path: string, secret: string, nowMs: number): Promise<string> {
  const date = amzDate(nowMs);
  const sig = await hmacHex(secret, `${path}|${date}`);
  return `${origin}${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=${TTL_S}&X-Amz-SignedHeaders=host&X-Amz-Signature=${sig}`;
}

export async function verifyPresigned(
  url: URL,
  secret: string,
  nowMs: number,
): Promise<'ok' | 'expired' | 'invalid'> {
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const sig = url.searchParams.get('X-Amz-Signature') ?? '';
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m || sig !== (await hmacHex(secret, `${url.pathname}|${date}`))) return 'invalid';
  const signedMs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return nowMs - signedMs > TTL_S * 1000 ? 'expired' : 'ok';
}
