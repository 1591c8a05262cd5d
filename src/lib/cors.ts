/** `CORS_ORIGINS`: the origins allowed to call the API, comma separated (`*` allows any). */
export function corsOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** The web app's origin for links in mail (invites): the first configured origin that is not `*`. */
export function appOrigin(raw: string): string | undefined {
  return corsOrigins(raw).find((o) => o !== '*');
}
