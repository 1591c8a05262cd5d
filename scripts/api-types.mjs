// Writes clients/api-types.ts, the TypeScript types of the API for web clients, from the OpenAPI
// document the app serves at /api/openapi.json. Run with tsx (it imports the app's TypeScript):
// `npm run api:types` rewrites the file; `npm run api:types -- --check` (part of `npm run lint`)
// exits 1 when the committed file differs from what the routes generate now.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { createApp } from '../src/app.ts';
import { openApiDocument } from '../src/routes/docs/index.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TARGET = path.join(ROOT, 'clients/api-types.ts');

// The document's version is the deployed APP_VERSION; the generated types do not include it.
const document = openApiDocument(createApp(), 'generated');
const raw = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
// Formatted as `npm run format` would, so the file passes `biome check` and the comparison below
// is not upset by formatting alone.
const generated = execFileSync(
  path.join(ROOT, 'node_modules/.bin/biome'),
  ['format', `--stdin-file-path=${TARGET}`],
  { cwd: ROOT, input: raw, encoding: 'utf8' },
);

const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : undefined;
const relTarget = path.relative(ROOT, TARGET);
if (process.argv.includes('--check')) {
  if (current !== generated) {
    console.error(`${relTarget} is out of date with the routes: run \`npm run api:types\` and commit it.`);
    process.exit(1);
  }
  console.log(`${relTarget} matches the OpenAPI document.`);
} else if (current === generated) {
  console.log(`${relTarget} is up to date.`);
} else {
  fs.mkdirSync(path.dirname(TARGET), { recursive: true });
  fs.writeFileSync(TARGET, generated);
  console.log(`Wrote ${relTarget}.`);
}
