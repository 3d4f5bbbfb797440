import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults } from 'oidc-provider';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import { AUTHORIZATION_SERVER_CONFIG } from '../config/authorization-server-config.token';
import { OidcProviderService } from '../oidc/oidc-provider.service';
import { transactionIdOf } from '../oidc/payment-approval';
import { LoginThrottle } from '../users/login-throttle';
import { UsersService } from '../users/users.service';
import { consentPage } from './consent-page';
import { CsrfTokens } from './csrf';
import { loginPage } from './login-page';

export type Raw = { req: IncomingMessage; res: ServerResponse; ip: string };
export type Outcome = { page: string; status: number } | { redirect: string };

/** Sign-in and consent on top of oidc-provider's interactions: decides, then hands the result back. */
@Injectable()
export class InteractionsService {
  private readonly csrf: CsrfTokens;

  constructor(
    private readonly oidc: OidcProviderService,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    @Inject(AUTHORIZATION_SERVER_CONFIG) config: AuthorizationServerConfig,
  ) {
    this.csrf = new CsrfTokens(config.cookieKeys[0]);
  }

  async show(raw: Raw, uid: string, error?: string, status = 200): Promise<Outcome> {
    const details = await this.details(raw, uid);
    const clientId = String(details.params.client_id);
    const csrf = this.csrf.issue(uid);
    if (details.prompt.name === 'login') {
      return { status, page: loginPage({ uid, csrf, clientId, error }) };
    }
    const user = await this.users.findBySub(String(details.session?.accountId));
    if (!user)
      return { status: 400, page: loginPage({ uid, csrf, clientId, error: 'Your session has ended; sign in again.' }) };
    const { requested, refused } = this.requestedScopes(details, user);
    const transactionIds = (details.prompt.details.rar as unknown[] | undefined)
      ?.map((d) => transactionIdOf([d]))
      .filter(Boolean) as string[];
    return {
      status,
      page: consentPage({
        uid,
        csrf,
        clientId,
        username: user.username,
        scopes: requested,
        refusedScopes: refused,
        transactionIds: transactionIds ?? [],
      }),
    };
  }

  async login(raw: Raw, uid: string, form: Record<string, unknown>): Promise<Outcome> {
    await this.checkCsrf(raw, uid, form.csrf);
    const username = String(form.username ?? '').slice(0, 100);
    const password = String(form.password ?? '').slice(0, 200);
    const wait = await this.throttle.secondsLocked(username, raw.ip);
    if (wait > 0) return this.show(raw, uid, `Too many failed attempts. Try again in ${wait} seconds.`, 429);
    const user = await this.users.authenticate(username, password);
    if (!user) {
      const lock = await this.throttle.recordFailure(username, raw.ip);
      const hint = lock > 0 ? ` Wait ${lock} seconds before the next try.` : '';
      return this.show(raw, uid, `Wrong username or password.${hint}`, 401);
    }
    await this.throttle.recordSuccess(username, raw.ip);
    return this.finish(raw, { login: { accountId: user.sub, amr: ['pwd'] } });
  }

  async confirm(raw: Raw, uid: string, form: Record<string, unknown>): Promise<Outcome> {
    await this.checkCsrf(raw, uid, form.csrf);
    const details = await this.details(raw, uid);
    if (details.prompt.name !== 'consent') throw new InteractionError('nothing to consent to');
    const user = await this.users.findBySub(String(details.session?.accountId));
    if (!user) throw new InteractionError('session ended');
    const { Grant } = this.oidc.current;
    const grant = details.grantId
      ? await Grant.find(details.grantId)
      : new Grant({ accountId: user.sub, clientId: String(details.params.client_id) });
    if (!grant) throw new InteractionError('grant not found');
    const { missingOIDCScope, missingResourceScopes, rar } = details.prompt.details as Record<string, never>;
    if (missingOIDCScope) grant.addOIDCScope((missingOIDCScope as string[]).join(' '));
    for (const [indicator, scopes] of Object.entries((missingResourceScopes ?? {}) as Record<string, string[]>)) {
      const { granted, refused } = this.users.allowedScopes(user, scopes);
      if (granted.length) grant.addResourceScope(indicator, granted.join(' '));
      if (refused.length) grant.rejectResourceScope(indicator, refused.join(' '));
    }
    for (const detail of (rar ?? []) as never[]) grant.addRar(detail);
    const grantId = await grant.save();
    return this.finish(raw, { consent: details.grantId ? {} : { grantId } });
  }

  async abort(raw: Raw, uid: string, form: Record<string, unknown>): Promise<Outcome> {
    await this.checkCsrf(raw, uid, form.csrf);
    return this.finish(raw, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
  }

  private async finish(raw: Raw, result: InteractionResults, merge = true): Promise<Outcome> {
    const redirect = await this.oidc.current.interactionResult(raw.req, raw.res, result, {
      mergeWithLastSubmission: merge,
    });
    return { redirect };
  }

  private async details(raw: Raw, uid: string) {
    let details;
    try {
      details = await this.oidc.current.interactionDetails(raw.req, raw.res);
    } catch {
      throw new InteractionError('this sign-in has expired or is not yours; start again from the application');
    }
    if (details.uid !== uid) throw new InteractionError('this sign-in does not match your session');
    return details;
  }

  private async checkCsrf(raw: Raw, uid: string, token: unknown): Promise<void> {
    await this.details(raw, uid);
    if (!this.csrf.verify(uid, token))
      throw new InteractionError('the form has expired; start again from the application');
  }

  private requestedScopes(
    details: { prompt: { details: Record<string, unknown> } },
    user: { privilegedScopes: string[] },
  ) {
    const oidcScopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    const resourceScopes = Object.values(
      (details.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>,
    ).flat();
    const { granted, refused } = this.users.allowedScopes(user as never, resourceScopes);
    return { requested: [...oidcScopes, ...granted], refused };
  }
}

/** A sign-in that cannot go on (expired, forged, replayed): shown as a plain 400 page. */
export class InteractionError extends Error {}
