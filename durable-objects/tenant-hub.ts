import { DurableObject } from 'cloudflare:workers';

export interface HubEvent {
  type: string;
  data?: unknown;
  at?: string;
}

/**
 * One hub per tenant holding that tenant's WebSocket sessions with the Hibernation API, so idle
 * sockets cost nothing. Services publish events (sync progress, alerts) through `publish`.
 */
export class TenantHub extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade') !== 'websocket')
      return new Response('Expected WebSocket', { status: 426 });
    const pair = new WebSocketPair();
    const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
    const userId = request.headers.get('x-user-id') ?? 'unknown';
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment({ userId, connectedAt: Date.now() });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends an event to every connected session of this tenant; returns how many got it. */
  publish(event: HubEvent): number {
    const message = JSON.stringify({ ...event, at: event.at ?? new Date().toISOString() });
    let sent = 0;
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message);
        sent++;
      } catch {
        // A socket closing mid-send is dropped on its close event.
      }
    }
    return sent;
  }

  connections(): number {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === 'ping') ws.send('pong');
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code, 'closing');
  }
}
