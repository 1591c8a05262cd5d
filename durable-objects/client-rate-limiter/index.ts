// Callers import this file, not ./object.ts: naming an object needs no class, and the class pulls in
// `cloudflare:workers`, which Node tools that load the app (scripts/api-types.mjs) cannot resolve.

/** Whose requests a client limit counts. */
export interface ClientSubject {
  kind: 'user' | 'ip' | 'tenant';
  id: string;
}

/** One ClientRateLimiter object per user, client IP or tenant. */
export function clientLimiter(env: Pick<Env, 'CLIENT_RATE_LIMITER'>, subject: ClientSubject) {
  return env.CLIENT_RATE_LIMITER.get(env.CLIENT_RATE_LIMITER.idFromName(`${subject.kind}:${subject.id}`));
}
