import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@zt/security';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { DeniedException, GatewayErrorCode } from '../errors/gateway-errors';
import { ApiRoute } from './api-routes';

/**
 * Picks the upstream base URL for a route. Region-bound data goes to the instance of the VERIFIED
 * token's `region` claim; a token without a region, or with one we do not serve, is refused:
 * sending it to a "default" region would move personal data across a residency boundary.
 */
@Injectable()
export class UpstreamResolver {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  baseUrl(route: ApiRoute, principal: Principal): string {
    if (!route.regional) return this.config.upstreams.global.get(route.upstream) as string;
    const region = principal.region;
    const base = region === undefined ? undefined : this.config.upstreams.regional.get(route.upstream)?.get(region);
    if (!base)
      throw new DeniedException(
        403,
        'This data is not served for your region',
        region === undefined ? GatewayErrorCode.REGION_MISSING : GatewayErrorCode.REGION_UNKNOWN,
      );
    return base;
  }
}
