import { Module } from '@nestjs/common';
import { provideAccessTokenVerifier, Rfc6750ExceptionFilter, SECURITY_OPTIONS } from '@zt/security';
import { AccessLog } from '../audit/access-log';
import { ApiAuthorizer } from '../authorization/api-authorizer';
import { GatewayConfig, loadGatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { IntrospectionClient } from '../phantom-token/introspection.client';
import { PhantomTokenService } from '../phantom-token/phantom-token.service';
import { ApiProxyRoute } from '../proxy/api-proxy.route';
import { AuthorizationServerProxyController } from '../proxy/authorization-server-proxy.controller';
import { UpstreamForwarder } from '../proxy/upstream-forwarder';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { UpstreamResolver } from '../routing/upstream-resolver';
import { OAuthAgentClient } from '../token-handler/oauth-agent.client';
import { SessionCookies } from '../token-handler/session-cookies';
import { TokenHandlerController } from '../token-handler/token-handler.controller';
import { GatewayExceptionFilter } from './gateway-exception.filter';
import { GatewayHttpSetup } from './gateway-http.setup';

/** Validated once while the module is built: bad configuration stops start-up with one line. */
const configProvider = { provide: GATEWAY_CONFIG, useFactory: () => loadGatewayConfig(process.env) };

/**
 * Everything the gateway does. It does not use SecurityModule's global guard (internet clients
 * hold opaque tokens, not JWTs); it uses the library's verifier on the JWT it gets in exchange.
 */
@Module({
  imports: [
    {
      module: class GatewayConfigModule {},
      global: true,
      providers: [configProvider, GatewayMetrics],
      exports: [configProvider, GatewayMetrics],
    },
    RateLimitModule,
  ],
  controllers: [AuthorizationServerProxyController, TokenHandlerController, MetricsController],
  providers: [
    { provide: SECURITY_OPTIONS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => config.security },
    // The library's verifier, key store and JWKS warm-up at start-up, as in every other app.
    ...provideAccessTokenVerifier(),
    Rfc6750ExceptionFilter,
    GatewayExceptionFilter,
    GatewayHttpSetup,
    ApiProxyRoute,
    AccessLog,
    IntrospectionClient,
    PhantomTokenService,
    ApiAuthorizer,
    UpstreamResolver,
    UpstreamForwarder,
    SessionCookies,
    OAuthAgentClient,
  ],
})
export class GatewayModule {}
