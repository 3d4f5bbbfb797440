import { resolveSecurityOptions, type SecurityOptions } from '../config/security-options';
import type { SecurityError } from '../errors/security-errors';
import { TestIssuer } from './test-issuer';
import { createAccessTokenVerifier } from '../verification/create-verifier';

/** Shared by the verifier specs: a live TestIssuer and a verifier configured only through the contract. */
export async function verifierAgainst(
  issuer: TestIssuer,
  overrides: Partial<SecurityOptions> = {},
  env: Record<string, string> = {},
) {
  const options = resolveSecurityOptions(overrides, issuer.env(env));
  return createAccessTokenVerifier(options, { warn: () => undefined });
}

/** Resolves to the stable error code of a rejected verification (or 'ACCEPTED'). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ACCEPTED';
  } catch (error) {
    const { code, message } = error as SecurityError;
    // Every rejection must tell the log why (the client never sees this text).
    if (code && message.trim().length < 8) throw new Error(`${code} without a log reason`);
    return code ?? String(error);
  }
}

export { TestIssuer };
