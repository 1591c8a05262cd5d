interface RouteEntry {
  method: string;
  path: string;
}

const patternCache = new Map<string, RegExp>();

function toRegExp(path: string): RegExp {
  let re = patternCache.get(path);
  if (!re) {
    const body = path
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    re = new RegExp(`^${body}/?$`);
    patternCache.set(path, re);
  }
  return re;
}

/** Methods registered for this path under another verb; non-empty means 405, not 404. */
export function methodNotAllowed(routes: readonly RouteEntry[], method: string, pathname: string): string[] {
  const allowed = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.method === method) continue;
    if (toRegExp(route.path).test(pathname)) allowed.add(route.method);
  }
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort();
}
