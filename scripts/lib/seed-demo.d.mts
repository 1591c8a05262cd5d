export const DEMO: { email: string; password: string; fullName: string; companyName: string };
export function seedDemo(options: {
  apiBase: string;
  sandboxBase?: string;
  notificationsKey?: string;
}): Promise<{
  email: string;
  password: string;
  accessToken?: string;
  note?: string;
}>;
