// Import rules, run by `npm run lint`: no import cycles (file or service-domain level) in the
// Worker code, and no import that runs back up a layer. Layers, lowest first; a module may import
// its own layer or a lower one:
//   lib, env          helpers with no domain knowledge
//   db, amazon,       data model and access; Amazon wire clients; Durable Objects, each module
//   durable-objects   with its own stub helper, so services and middleware can reach them
//   messages, services/context, services/<domain>
//   middleware, routes, app, workers, index (the composition root)
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SCANNED = ['src', 'workers', 'durable-objects'];

const LAYERS = [
  ['src/lib', 'src/env.ts'],
  ['src/db', 'src/amazon', 'durable-objects'],
  ['src/messages.ts', 'src/services'],
  ['src/context.ts', 'src/middleware', 'src/routes', 'src/app.ts'],
  ['workers', 'src/index.ts'],
];

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'models') walk(full, out);
    } else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const files = SCANNED.flatMap((d) => walk(path.join(ROOT, d)));
const graph = new Map();
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const deps = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const target = resolve(file, m[1] ?? m[2]);
    if (target?.endsWith('.ts')) deps.add(target);
  }
  graph.set(file, deps);
}

const rel = (f) => path.relative(ROOT, f);
const problems = [];

// The sandbox is a separate Worker: it has its own layering and must not import the API.
const inSandbox = (f) => rel(f).startsWith('workers/amazon-sandbox/');
function layerOf(f) {
  const r = rel(f);
  return LAYERS.findIndex((prefixes) => prefixes.some((p) => r === p || r.startsWith(`${p}/`)));
}

for (const [file, deps] of graph) {
  for (const dep of deps) {
    if (inSandbox(file) !== inSandbox(dep)) {
      problems.push(`${rel(file)} -> ${rel(dep)}: the sandbox and the API do not import each other`);
      continue;
    }
    if (inSandbox(file)) continue;
    const from = layerOf(file);
    const to = layerOf(dep);
    if (to > from) problems.push(`${rel(file)} -> ${rel(dep)}: imports up a layer`);
  }
}

// Tarjan's strongly connected components: any component of 2+ nodes is a cycle.
function cycles(nodes, edges) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  function visit(v) {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of edges(v)) {
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) {
        state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
      }
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges(v).has(v)) found.push(component);
    }
  }
  for (const v of nodes) if (!state.has(v)) visit(v);
  return found;
}

for (const c of cycles([...graph.keys()], (v) => graph.get(v) ?? new Set())) {
  problems.push(`import cycle between files: ${c.map(rel).join(', ')}`);
}

// Service domains (src/services/<domain>) must not form loops either.
const domainOf = (f) => /^src\/services\/([^/]+)\//.exec(rel(f))?.[1];
const domains = new Map();
for (const [file, deps] of graph) {
  const from = domainOf(file);
  if (!from) continue;
  if (!domains.has(from)) domains.set(from, new Set());
  for (const dep of deps) {
    const to = domainOf(dep);
    if (to && to !== from) domains.get(from).add(to);
  }
}
for (const c of cycles([...domains.keys()], (d) => domains.get(d) ?? new Set())) {
  problems.push(`import cycle between service domains: ${c.join(', ')}`);
}

if (problems.length) {
  console.error(`Import rules broken (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Imports: ${graph.size} modules, no cycles, no upward imports.`);
