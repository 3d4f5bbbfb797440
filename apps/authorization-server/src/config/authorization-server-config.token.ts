/** Injection token for the validated AuthorizationServerConfig. */
export const AUTHORIZATION_SERVER_CONFIG = Symbol('AUTHORIZATION_SERVER_CONFIG');
