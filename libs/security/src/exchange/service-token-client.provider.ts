import type { Provider } from '@nestjs/common';
import { isDevelopmentMode, type SecurityOptions } from '../config/security-options';
import { ConfigurationError } from '../errors/security-errors';
import { SECURITY_OPTIONS } from '../security.constants';
import { isLoopbackHost, ServiceTokenClient } from './service-token.client';

/**
 * Provides this service's ServiceTokenClient: the issuer from the security options, the token
 * endpoint from OAUTH_TOKEN_ENDPOINT when set (else discovery from the issuer), the client from
 * OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET. The development defaults and plain HTTP beyond loopback
 * apply only outside production mode; in production a missing value or a plain-HTTP URL to
 * another host stops start-up naming the variable.
 */
export function serviceTokenClientProvider(development: { clientId: string; clientSecret: string }): Provider {
  return {
    provide: ServiceTokenClient,
    inject: [SECURITY_OPTIONS],
    useFactory: (security: SecurityOptions) => {
      const env = process.env;
      const production = !isDevelopmentMode(env);
      const read = (name: string, devDefault: string) => {
        const value = env[name]?.trim();
        if (value) return value;
        if (production) throw new ConfigurationError(name, 'is required in production mode');
        return devDefault;
      };
      const tokenEndpoint = env.OAUTH_TOKEN_ENDPOINT?.trim() || undefined;
      // The URL this client will send its secret to: plain HTTP beyond loopback stops start-up in production.
      const [variable, contacted] = tokenEndpoint
        ? ['OAUTH_TOKEN_ENDPOINT', tokenEndpoint]
        : ['OAUTH_ISSUER', security.issuer];
      if (!URL.canParse(contacted)) throw new ConfigurationError(variable, 'must be an absolute URL');
      const url = new URL(contacted);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new ConfigurationError(variable, 'must be an http(s) URL');
      if (production && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        throw new ConfigurationError(
          variable,
          'must use https in production (plain HTTP only to loopback, or to any host in development mode)',
        );
      }
      return new ServiceTokenClient({
        issuer: security.issuer,
        tokenEndpoint,
        allowInsecureHttp: !production,
        clientId: read('OAUTH_CLIENT_ID', development.clientId),
        clientSecret: read('OAUTH_CLIENT_SECRET', development.clientSecret),
      });
    },
  };
}
