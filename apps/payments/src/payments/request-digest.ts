import { createHash } from 'node:crypto';
import { CreatePaymentDto } from './dto/create-payment.dto';

/** A digest of what was asked, so a retry with the same Idempotency-Key can be told from a different request. */
export function requestDigest(dto: CreatePaymentDto): string {
  const canonical = JSON.stringify([dto.sourceAccountId, dto.destinationAccountId, dto.amount, dto.currency]);
  return createHash('sha256').update(canonical).digest('base64url');
}
