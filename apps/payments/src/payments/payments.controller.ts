import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ClaimMatchesParam, CurrentPrincipal, type Principal, Scopes } from '@zt/security';
import type { FastifyReply } from 'fastify';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { PaymentIdParam } from './dto/payment-id.param';
import { PaymentResponse } from './dto/payment.response';
import { IdempotencyKey } from './idempotency-key.decorator';
import { PaymentsService } from './payments.service';
import { SourceAccountChecker } from './source-account.checker';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly sourceAccounts: SourceAccountChecker,
  ) {}

  @Post()
  @Scopes('payments:write', 'accounts:read')
  @ApiOperation({
    summary: 'Create a pending payment',
    description:
      'Requires scopes `payments:write` and `accounts:read` (the token is forwarded to the accounts API to check the source account).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '8 to 128 characters; a retry with the same key returns the first result',
  })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiConflictResponse({ description: 'the Idempotency-Key was used for a different request' })
  @ApiUnprocessableEntityResponse({
    description: 'the destination is the source account, or the source account is not yours or holds another currency',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() idempotencyKey: string,
    @Headers('x-request-id') requestId: string | undefined,
    @Body() dto: CreatePaymentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentResponse> {
    this.payments.assertAcceptable(dto);
    await this.sourceAccounts.assertOwnedByCaller(principal, dto.sourceAccountId, dto.currency, requestId);
    const { payment, replayed } = await this.payments.create(principal, idempotencyKey, dto);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return PaymentResponse.from(payment);
  }

  @Get()
  @Scopes('payments:read')
  @ApiOperation({ summary: 'List my payments', description: 'Requires scope `payments:read`.' })
  @ApiOkResponse({ type: [PaymentResponse] })
  async list(@CurrentPrincipal() principal: Principal): Promise<PaymentResponse[]> {
    return (await this.payments.listOwn(principal)).map(PaymentResponse.from);
  }

  @Get(':id')
  @Scopes('payments:read')
  @ApiOperation({
    summary: 'Read one of my payments',
    description: "Requires scope `payments:read`. Another user's payment is 404.",
  })
  @ApiOkResponse({ type: PaymentResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: PaymentIdParam): Promise<PaymentResponse> {
    return PaymentResponse.from(await this.payments.getOwn(principal, params.id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Scopes('payments:approve')
  @ClaimMatchesParam('transaction_id', 'id')
  @ApiOperation({
    summary: 'Approve a pending payment',
    description:
      'Requires a transaction token: scope `payments:approve` and claim `transaction_id` equal to this payment id, issued to its owner.',
  })
  @ApiOkResponse({ type: PaymentResponse })
  async approve(@CurrentPrincipal() principal: Principal, @Param() params: PaymentIdParam): Promise<PaymentResponse> {
    return PaymentResponse.from(await this.payments.approve(principal, params.id));
  }
}
