declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    neonProxy: string;
    migrationCount: number;
    sandboxUrl: string;
  }
}

export {};
