import * as oauth from 'openid-client';
import { formAction, formField, ScriptedBrowser } from './browser';

export interface AuthorizeOptions {
  redirectUri: string;
  scope: string;
  username: string;
  password: string;
  authorizationDetails?: unknown[];
  /** Inspect the consent page before allowing (e.g. check the payment shown). */
  onConsent?: (page: string) => void;
}

/**
 * The authorization code flow with PKCE as a user lives it: the client (openid-client) builds
 * the request, the scripted browser signs in and consents, the client redeems the code.
 */
export async function authorize(config: oauth.Configuration, issuer: string, options: AuthorizeOptions) {
  const browser = new ScriptedBrowser(issuer);
  const verifier = oauth.randomPKCECodeVerifier();
  const state = oauth.randomState();
  const params: Record<string, string> = {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  };
  if (options.authorizationDetails) params.authorization_details = JSON.stringify(options.authorizationDetails);
  const start = await browser.follow(await browser.get(oauth.buildAuthorizationUrl(config, params).href));
  const loginPage = start.page ?? '';
  if (!loginPage.includes('/login'))
    throw new Error(`no sign-in page (status ${start.status}, ${start.location ?? ''}): ${loginPage.slice(0, 300)}`);
  let step = await browser.follow(
    await browser.post(formAction(loginPage, 'login'), {
      csrf: formField(loginPage, 'csrf'),
      username: options.username,
      password: options.password,
    }),
  );
  if (step.page?.includes('/confirm')) {
    options.onConsent?.(step.page);
    step = await browser.follow(
      await browser.post(formAction(step.page, 'confirm'), { csrf: formField(step.page, 'csrf') }),
    );
  }
  if (!step.location)
    throw new Error(`sign-in did not return to the client (status ${step.status}): ${step.page?.slice(0, 300)}`);
  const tokens = await oauth.authorizationCodeGrant(config, new URL(step.location), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  return { tokens, browser };
}
