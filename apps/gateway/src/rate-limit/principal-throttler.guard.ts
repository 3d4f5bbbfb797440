import { Injectable } from '@nestjs/common';
import { RateLimitDimension } from '../config/rate-limit-config';
import { GatewayThrottlerGuard } from './gateway-throttler.guard';

/** Runs after authentication: per OAuth client and per user, from the verified token only. */
@Injectable()
export class PrincipalThrottlerGuard extends GatewayThrottlerGuard {
  protected readonly dimensions: readonly RateLimitDimension[] = ['client', 'user'];
}
