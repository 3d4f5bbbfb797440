import type { Provider } from '@nestjs/common';
import type { SecurityOptions } from '../config/security-options';
import { ConfigurationError } from '../errors/security-errors';
import { SECURITY_OPTIONS } from '../security.constants';
import { ServiceTokenClient } from './service-token.client';

/**
 * Provides this service's ServiceTokenClient: the issuer from the security options, the client
 * from OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET. The development defaults apply only outside
 * production mode; in production a missing value stops start-up naming the variable.
 */
export function serviceTokenClientProvider(development: { clientId: string; clientSecret: string }): Provider {
  return {
    provide: ServiceTokenClient,
    inject: [SECURITY_OPTIONS],
    useFactory: (security: SecurityOptions) => {
      const env = process.env;
      const production = env.NODE_ENV === 'production';
      const read = (name: string, devDefault: string) => {
        const value = env[name]?.trim();
        if (value) return value;
        if (production) throw new ConfigurationError(name, 'is required in production mode');
        return devDefault;
      };
      return new ServiceTokenClient({
        issuer: security.issuer,
        clientId: read('OAUTH_CLIENT_ID', development.clientId),
        clientSecret: read('OAUTH_CLIENT_SECRET', development.clientSecret),
      });
    },
  };
}
