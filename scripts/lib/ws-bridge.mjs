// WebSocket-to-TCP bridge so the Neon serverless driver can reach a plain local Postgres
// (what Neon's proxy does in production). The target comes from `?address=host:port`;
// only loopback targets are accepted.
import net from 'node:net';
import { WebSocketServer } from 'ws';

export async function startWsBridge({ port = 0 } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '/', 'http://bridge').searchParams.get('address') ?? '';
    const [host, targetPort] = address.split(':');
    if (!['127.0.0.1', 'localhost'].includes(host ?? '') || !targetPort) {
      ws.close(1008, 'only loopback targets');
      return;
    }
    const socket = net.connect(Number(targetPort), '127.0.0.1');
    socket.on('data', (chunk) => ws.readyState === ws.OPEN && ws.send(chunk));
    socket.on('close', () => ws.close());
    socket.on('error', () => ws.close());
    ws.on('message', (data) => socket.write(data));
    ws.on('close', () => socket.end());
    ws.on('error', () => socket.destroy());
  });
  const address = wss.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: boundPort,
    proxy: `127.0.0.1:${boundPort}/v1`,
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
