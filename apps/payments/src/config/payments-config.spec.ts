import { ConfigValidationError } from '@zt/platform';
import { loadPaymentsConfig } from './payments-config';

describe('loadPaymentsConfig', () => {
  it('polls the outbox every 250 ms unless told otherwise', () => {
    expect(loadPaymentsConfig({ NODE_ENV: 'development' }).outboxPollMs).toBe(250);
    expect(loadPaymentsConfig({ NODE_ENV: 'development', OUTBOX_POLL_MS: '100' }).outboxPollMs).toBe(100);
  });

  it.each(['5', '60001', '0.5', 'soon'])('refuses OUTBOX_POLL_MS=%j in milliseconds, naming it', (value) => {
    expect(() => loadPaymentsConfig({ NODE_ENV: 'development', OUTBOX_POLL_MS: value })).toThrow(
      new ConfigValidationError(
        'OUTBOX_POLL_MS',
        `must be a whole number of milliseconds from 10 to 60000 (got "${value}")`,
      ),
    );
  });
});
