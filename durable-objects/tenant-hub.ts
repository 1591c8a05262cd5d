import { DurableObject } from 'cloudflare:workers';

export interface HubEvent {
  type: string;
  data?: unknown;
  at?: string;
}

/**
 * One hub per tenant for that tenant's live sessions (Hibernation API, so idle sockets cost
 * nothing). The sync publishes its progress here. No route hands clients a socket yet, so
 * `publish` reaches no one until an authenticated WebSocket route exists.
 */
export class TenantHub extends DurableObject<Env> {
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
