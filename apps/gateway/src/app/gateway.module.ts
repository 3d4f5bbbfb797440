import { Logger, Module } from '@nestjs/common';
import { AccessTokenVerifier, createAccessTokenVerifier, JwksKeyStore, Rfc6750ExceptionFilter, SECURITY_OPTIONS } from '@zt/security';
import { AccessLog } from '../audit/access-log';
import { GatewayConfig, loadGatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayExceptionFilter } from '../http/gateway-exception.filter';
import { GatewayHttpSetup } from '../http/gateway-http.setup';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { ApiAuthorizer } from '../phantom-token/api-authorizer';
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
    {
      provide: 'VERIFIER_PAIR',
      inject: [SECURITY_OPTIONS],
      useFactory: (options: GatewayConfig['security']) => createAccessTokenVerifier(options, new Logger('Security')),
    },
    { provide: JwksKeyStore, inject: ['VERIFIER_PAIR'], useFactory: (pair: { keyStore: JwksKeyStore }) => pair.keyStore },
    { provide: AccessTokenVerifier, inject: ['VERIFIER_PAIR'], useFactory: (pair: { verifier: AccessTokenVerifier }) => pair.verifier },
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
