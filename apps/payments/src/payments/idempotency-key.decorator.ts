import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** `Idempotency-Key`, required on POST /payments: without it a network retry could pay twice. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const value = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new BadRequestException('Idempotency-Key header is required: 8 to 128 letters, digits or _.:-');
  }
  return value;
});
