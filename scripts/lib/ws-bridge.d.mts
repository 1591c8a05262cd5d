export function startWsBridge(options?: {
  port?: number;
}): Promise<{ port: number; proxy: string; stop(): Promise<void> }>;
