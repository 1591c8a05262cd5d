export const MIGRATIONS_FOLDER: string;
export function applyMigrations(url: string): Promise<void>;
