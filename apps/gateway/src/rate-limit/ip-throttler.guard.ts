import { Injectable } from '@nestjs/common';
import { RateLimitDimension } from '../config/rate-limit-config';
import { GatewayThrottlerGuard } from './gateway-throttler.guard';

/** Runs before authentication: unauthenticated floods are cut before they cost an introspection. */
@Injectable()
export class IpThrottlerGuard extends GatewayThrottlerGuard {
  protected readonly dimensions: readonly RateLimitDimension[] = ['ip'];
}
