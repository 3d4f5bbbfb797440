/** The authorization server could not answer (down, slow, misconfigured): the request fails closed with 503. */
export class AuthorizationServerUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`authorization server unavailable: ${reason}`);
    this.name = 'AuthorizationServerUnavailableError';
  }
}
