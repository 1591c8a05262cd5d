// Embedded Postgres (PGlite, WebAssembly) served over the Postgres wire protocol on loopback.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Extended-query messages (Parse, Bind, Describe, Execute, Close, Flush) that must not interleave
// with another connection's until that connection's Sync: PGlite is one session, so an unnamed
// statement parsed by one client would otherwise be bound by another.
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);

/**
 * The socket server's queue keeps serving one connection while `isInTransaction()` is true; this
 * view of the database also reports true while a connection is inside an extended-query cycle.
 */
function serialisingView(db) {
  let midCycle = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => midCycle || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return async (message, options) => {
          const type = message[0];
          if (EXTENDED.has(type)) midCycle = true;
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            if (type === SYNC || type === QUERY) midCycle = false;
          }
        };
      }
      if (prop === 'exec') {
        return async (...args) => {
          midCycle = false;
          return target.exec(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * @param {{ dataDir?: string, port?: number, maxConnections?: number }} options
 * dataDir undefined means in-memory. Port 0 picks a free port.
 */
export async function startPglite({ dataDir, port = 0, maxConnections = 64 } = {}) {
  const db = await PGlite.create(dataDir ? dataDir : 'memory://');
  const server = new PGLiteSocketServer({ db: serialisingView(db), port, host: '127.0.0.1', maxConnections });
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
