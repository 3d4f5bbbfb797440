import { SetMetadata } from '@nestjs/common';

/**
 * Marks a platform route (health) as reachable without a token. It sets the same metadata
 * key as `@Public()` in libs/security, whose global guard reads it; the platform does not
 * import the security library so that each can be copied on its own.
 */
export const IS_PUBLIC_ROUTE = 'zt:public';
export const PublicRoute = () => SetMetadata(IS_PUBLIC_ROUTE, true);
