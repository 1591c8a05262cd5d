import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../../context';
import { createRouter } from '../router';

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SellerPulse API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}code{background:#f3f3f3;padding:0 .2rem}
.op{border-left:4px solid #888;margin:.6rem 0;padding:.2rem .8rem}.get{border-color:#2a7}.post{border-color:#27c}
.put,.patch{border-color:#c82}.delete{border-color:#c33}</style></head>
<body><h1>SellerPulse API</h1><p>Machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a></p>
<div id="ops">Loading…</div>
<script>
fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
  const out=[];
  for(const [path,ops] of Object.entries(doc.paths)) for(const [m,op] of Object.entries(ops)){
    out.push('<div class="op '+m+'"><b>'+m.toUpperCase()+'</b> <code>'+path+'</code> '+(op.summary||'')+
      (op.security&&op.security.length?' 🔒':'')+'</div>');
  }
  document.getElementById('ops').innerHTML=out.join('');
});
</script></body></html>`;

/** `GET /api/openapi.json` (generated from the route schemas) and a small docs page. */
export function docsRoutes(app: OpenAPIHono<AppContext>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const router = createRouter();
  router.get('/openapi.json', (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'SellerPulse API', version: c.env.APP_VERSION },
      }),
    ),
  );
  router.get('/docs', (c) => c.html(DOCS_PAGE));
  return router;
}
