import { readInteger, readUrl, type Env } from '@zt/platform';

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');

export interface PaymentsConfig {
  /** Base URL of the accounts API; must also be listed in INTERNAL_SERVICE_URLS for the token to be forwarded. */
  accountsApiUrl: string;
  /** How often the outbox relay looks for unpublished events. */
  outboxPollMs: number;
}

export function loadPaymentsConfig(env: Env): PaymentsConfig {
  return {
    accountsApiUrl: readUrl(env, 'ACCOUNTS_API_URL', ['http:', 'https:'], 'http://127.0.0.1:3002')
      .toString()
      .replace(/\/$/, ''),
    outboxPollMs: readInteger(env, 'OUTBOX_POLL_MS', 250, 10, 60_000, 'milliseconds'),
  };
}
