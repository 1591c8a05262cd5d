import { ValidationError } from './errors';

type Path = (string | number)[];

/** A value met during the walk, linked to its parent so a path is only built for a hit. */
interface Node {
  value: unknown;
  key?: string | number;
  parent?: Node;
}

function pathOf(node: Node | undefined, last?: string): Path {
  const path: Path = last === undefined ? [] : [last];
  for (let n = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  return path;
}

/**
 * Where the first string (a value or an object key) containing U+0000 sits in `value`, or null.
 * Walked with an explicit stack, so a deeply nested body cannot overflow the call stack.
 */
export function nulCharacterPath(value: unknown): Path | null {
  const stack: Node[] = [{ value }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const current = node.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pathOf(node);
    } else if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push({ value: current[i], key: i, parent: node });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, v] of Object.entries(current)) {
        if (key.includes('\u0000')) return pathOf(node, key);
        stack.push({ value: v, key, parent: node });
      }
    }
  }
  return null;
}

/**
 * Refuses input holding a NUL character with the usual 400. Postgres text and jsonb cannot store
 * U+0000, so such a value would otherwise fail deep in a query as a 500. `target` names where the
 * value came from (`query`, `param`, `json`), as in the validation details.
 */
export function refuseNulCharacters(value: unknown, target: string): void {
  const path = nulCharacterPath(value);
  if (path === null) return;
  const field = [target, ...path].join('.');
  throw new ValidationError('Request validation failed', [
    { field, message: 'must not contain a NUL character (U+0000)', code: 'nul_character' },
  ]);
}
