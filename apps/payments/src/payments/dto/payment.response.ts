import { ApiProperty } from '@nestjs/swagger';
import { Payment } from '../payment.entity';
import { PaymentStatus } from '../payment-status';
import { formatMinor } from '@zt/contracts';

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sourceAccountId: string;
  @ApiProperty({ format: 'uuid' }) destinationAccountId: string;
  @ApiProperty({ example: '25.00' }) amount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ enum: PaymentStatus }) status: PaymentStatus;
  @ApiProperty() createdAt: string;

  static from(payment: Payment): PaymentResponse {
    return {
      id: payment.id,
      sourceAccountId: payment.sourceAccountId,
      destinationAccountId: payment.destinationAccountId,
      amount: formatMinor(payment.amountMinor, payment.currency),
      currency: payment.currency,
      status: payment.status,
      createdAt: payment.createdAt.toISOString(),
    };
  }
}
