import { hash32 } from '../lib/rand';

/** Settlement report ids encode their period and marketplace so they need no storage. */
export const settlementReportId = (period: number, mpIndex: number): string =>
  `7${String(period).padStart(6, '0')}${mpIndex}`;

export function parseSettlementReportId(id: string): { period: number; mpIndex: number } | undefined {
  const m = /^7(\d{6})(\d)$/.exec(id);
  return m ? { period: Number(m[1]), mpIndex: Number(m[2]) } : undefined;
}

export const documentIdFor = (sellerId: string, reportId: string, region: string): string =>
  `amzn1.spdoc.1.4.${region}.${reportId}.T${(hash32(sellerId, reportId, 'doc') % 1_000_000).toString(16).padStart(5, '0')}`;

export function parseDocumentId(sellerId: string, docId: string): string | undefined {
  const m = /^amzn1\.spdoc\.1\.4\.(na|eu)\.(\d+)\.T[0-9a-f]+$/.exec(docId);
  if (!m) return undefined;
  return documentIdFor(sellerId, m[2]!, m[1]!) === docId ? m[2] : undefined;
}
