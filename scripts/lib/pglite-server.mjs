// Embedded Postgres (PGlite, WebAssembly) served over the Postgres wire protocol on loopback.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * @param {{ dataDir?: string, port?: number, maxConnections?: number }} options
 * dataDir undefined means in-memory. Port 0 picks a free port.
 */
export async function startPglite({ dataDir, port = 0, maxConnections = 64 } = {}) {
  const db = await PGlite.create(dataDir ? dataDir : 'memory://');
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
  await server.start();
  const [, boundPort] = server.getServerConn().split(':');
  // PGlite accepts any password; Hyperdrive's local mode requires one in the URL.
  const url = `postgres://postgres:postgres@127.0.0.1:${boundPort}/postgres`;
  return {
    url,
    port: Number(boundPort),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
