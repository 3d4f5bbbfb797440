import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { CookieCipher } from './cookie-cipher';

/**
 * `__Host-` cookies: Secure, Path=/, no Domain (a sibling subdomain cannot set or read them).
 * HttpOnly (no script reads them) and SameSite=Strict (never sent on cross-site requests).
 */
export const COOKIES = { access: '__Host-zt-at', refresh: '__Host-zt-rt', login: '__Host-zt-login' } as const;
export type CookieName = (typeof COOKIES)[keyof typeof COOKIES];

export function hasSessionCookie(req: FastifyRequest): boolean {
  const cookies = req.cookies ?? {};
  return cookies[COOKIES.access] !== undefined || cookies[COOKIES.refresh] !== undefined;
}

@Injectable()
export class SessionCookies {
  private readonly cipher: CookieCipher;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.cipher = new CookieCipher(config.bff.cookieKey);
  }

  read(req: FastifyRequest, name: CookieName): string | undefined {
    return this.cipher.decrypt(name, req.cookies?.[name]);
  }

  /** True when the cookie is there but does not decrypt: tampered, truncated or another key. */
  isTampered(req: FastifyRequest, name: CookieName): boolean {
    const raw = req.cookies?.[name];
    return raw !== undefined && this.cipher.decrypt(name, raw) === undefined;
  }

  write(reply: FastifyReply, name: CookieName, value: string, maxAgeSeconds: number): void {
    reply.setCookie(name, this.cipher.encrypt(name, value), {
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      maxAge: maxAgeSeconds,
    });
  }

  clear(reply: FastifyReply, name: CookieName): void {
    reply.clearCookie(name, { path: '/', httpOnly: true, secure: true, sameSite: 'strict' });
  }
}
