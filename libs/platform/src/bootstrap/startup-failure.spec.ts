import { ConfigValidationError } from '../config/config-validation.error';
import { describeStartupFailure } from './startup-failure';

describe('describeStartupFailure', () => {
  it('shows a configuration error as its own single line, even when wrapped', () => {
    const wrapped = new Error('module init failed', {
      cause: new ConfigValidationError('OAUTH_ISSUER', 'must be an absolute URL'),
    });
    expect(describeStartupFailure(wrapped)).toBe('Invalid configuration: OAUTH_ISSUER must be an absolute URL');
  });

  it('keeps other failures to their message', () => {
    expect(describeStartupFailure(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'start-up failed: connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});

describe('describeStartupFailure with other libraries', () => {
  it('recognises any configuration error by its stable code', () => {
    const foreign = Object.assign(new Error('Invalid configuration: OAUTH_AUDIENCE must list at least one audience'), {
      code: 'ERR_CONFIG_INVALID',
    });
    expect(describeStartupFailure(new Error('wrapper', { cause: foreign }))).toBe(
      'Invalid configuration: OAUTH_AUDIENCE must list at least one audience',
    );
  });
});
