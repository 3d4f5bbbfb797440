import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ServiceClient, type Principal } from '@zt/security';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';

/**
 * Asks the accounts API, with the caller's own token (token sharing), whether the caller owns
 * the source account. Accounts decides: it answers 404 for an account that is not the caller's.
 */
@Injectable()
export class SourceAccountChecker {
  constructor(
    private readonly client: ServiceClient,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async assertOwnedByCaller(principal: Principal, accountId: string, currency: string, requestId?: string): Promise<void> {
    const res = await this.client.fetch(principal, `${this.config.accountsApiUrl}/accounts/${accountId}`, { requestId });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new UnprocessableEntityException('sourceAccountId is not an account of yours');
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`accounts API answered ${res.status}`);
    }
    const account = (await res.json()) as { currency: string };
    if (account.currency !== currency) throw new UnprocessableEntityException(`the source account holds ${account.currency}`);
  }
}
