// Closed-loop load: `concurrency` clients each send the next request as soon as the previous answers,
// until `requests` are done or `seconds` pass. Loopback only.

export async function measure({ base, paths, headers = {}, concurrency, requests, seconds }) {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`refusing non-loopback target ${base}`);
  const latencies = [];
  const statuses = new Map();
  const cache = new Map();
  let issued = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  async function client() {
    while (issued < requests && performance.now() < deadline) {
      const path = paths[issued % paths.length];
      issued++;
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const x = res.headers.get('x-cache');
      if (x) cache.set(x, (cache.get(x) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    count: latencies.length,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    rps: latencies.length / elapsed,
    statuses: Object.fromEntries(statuses),
    cache: Object.fromEntries(cache),
  };
}
