import { BadGatewayException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
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

  async assertOwnedByCaller(
    principal: Principal,
    accountId: string,
    currency: string,
    requestId?: string,
  ): Promise<void> {
    const res = await this.client.fetch(principal, `${this.config.accountsApiUrl}/accounts/${accountId}`, {
      requestId,
    });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new UnprocessableEntityException('sourceAccountId is not an account of yours');
    }
    if (!res.ok) {
      await res.body?.cancel();
      // (A refused forwarded token never gets here: ServiceClient turns a 401/403 into its own 502.)
      // Any other failure of accounts is a clear 502 problem, never an internal error.
      throw new BadGatewayException(`the accounts API answered ${res.status} while checking the source account`);
    }
    const account = (await res.json()) as { currency: string };
    if (account.currency !== currency)
      throw new UnprocessableEntityException(`the source account holds ${account.currency}`);
  }
}
