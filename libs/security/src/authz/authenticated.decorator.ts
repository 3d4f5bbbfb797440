import { SetMetadata } from '@nestjs/common';
import { AUTHENTICATED } from './security-metadata';

/**
 * The route is for ANY caller with a valid access token, whatever its scopes (e.g. "who am I").
 * It changes nothing at run time (every non-public route already needs a valid token); it says
 * so explicitly, because a route that declares neither this, @Scopes()/@AnyScope() nor @Public()
 * stops start-up: a forgotten @Scopes() must not silently mean "any token will do".
 */
export const Authenticated = () => SetMetadata(AUTHENTICATED, true);
