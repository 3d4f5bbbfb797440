import { Controller, ForbiddenException, Headers, HttpCode, Inject, Post, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from '../config/authorization-server-config.token';
import { SigningKeysService } from './signing-keys.service';

/**
 * Development only: rotates the PostgreSQL-backed signing keys (scripts/rotate-keys.mjs calls
 * it). Authenticated as the `dev-tokens` client. KeysModule registers it only in development
 * mode chosen explicitly; in production the route does not exist, and keys come from
 * OAUTH_SIGNING_KEYS and are rotated there.
 */
@ApiExcludeController()
@Controller('dev/signing-keys')
export class DevKeysController {
  constructor(
    @Inject(AUTHORIZATION_SERVER_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly keys: SigningKeysService,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  async rotate(@Headers('authorization') authorization?: string) {
    if (!this.isDevTokensClient(authorization))
      throw new UnauthorizedException('dev-tokens client credentials required (HTTP Basic)');
    if (!this.keys.databaseBacked) throw new ForbiddenException('keys come from OAUTH_SIGNING_KEYS: rotate them there');
    const keys = await this.keys.rotate();
    return { signing: keys.signing.kid, published: keys.published.map((key) => key.kid) };
  }

  private isDevTokensClient(authorization?: string): boolean {
    const secret = this.config.clients.find((client) => client.clientId === 'dev-tokens')?.secret;
    if (!secret || !authorization?.startsWith('Basic ')) return false;
    const expected = Buffer.from(`dev-tokens:${secret}`);
    const given = Buffer.from(Buffer.from(authorization.slice(6), 'base64').toString('utf8'));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
