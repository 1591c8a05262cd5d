export function startPglite(options?: { dataDir?: string; port?: number; maxConnections?: number }): Promise<{
  url: string;
  port: number;
  stop(): Promise<void>;
}>;
