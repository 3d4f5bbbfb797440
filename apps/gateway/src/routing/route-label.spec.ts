import { routeLabel } from './route-label';

describe('routeLabel', () => {
  it.each([
    ['/api/users', '/api/users'],
    ['/api/accounts/acc_1/transactions', '/api/accounts'],
    ['/api/usersX', 'api-unknown'],
    ['/api/', 'api-unknown'],
    ['/auth/login', 'token-handler'],
    ['/auth/session', 'token-handler'],
    ['/auth/sessions', 'authorization-server'],
    ['/auth', 'authorization-server'],
    ['/auth/abc123', 'authorization-server'],
    ['/interaction/abc/login', 'authorization-server'],
    ['/.well-known/openid-configuration', 'authorization-server'],
    ['/jwks', 'authorization-server'],
    ['/jwks/x', 'unmatched'],
    ['/token', 'authorization-server'],
    ['/token/revocation', 'authorization-server'],
    ['/metrics', 'metrics'],
    ['/health', 'health'],
    ['/', 'unmatched'],
    ['/api', 'unmatched'],
    ['/tokens', 'unmatched'],
  ])('labels %s as %s', (path, label) => {
    expect(routeLabel(path)).toBe(label);
  });
});
