import type { SandboxEnv } from '../env';
import { emitFromSnapshot } from '../notify/emit';
import { SellerStore } from './seller-store';
import type { StoredReport } from './types';

/** The Durable Object the Worker binds: a seller's state that also sends its report notifications. */
export class SellerState extends SellerStore<SandboxEnv> {
  protected override async reportsFinished(sellerId: string, reports: StoredReport[]): Promise<void> {
    await emitFromSnapshot(
      this.env,
      { sellerId, config: this.config(), reports },
      reports.map((r) => ({ type: 'REPORT_PROCESSING_FINISHED' as const, reportId: r.reportId })),
    );
  }
}
