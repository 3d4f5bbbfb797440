import { Counter, type Registry } from 'prom-client';
import type { JwksFetchOutcome, VerificationObserver } from '@zt/security';

/**
 * Counts the security library's verification outcomes into the app's registry. Labels are the
 * outcome and the error's stable code (a fixed set), never anything from the token or request.
 */
export class SecurityMetricsObserver implements VerificationObserver {
  private readonly verifications: Counter<'outcome' | 'code'>;
  private readonly jwksFetches: Counter<'outcome'>;
  private readonly deadLetters: Counter<'topic' | 'reason'>;
  private readonly verified: Counter.Internal;
  /** Children by code, looked up once each: the hot path is one map read and an increment. */
  private readonly refusedByCode = new Map<string, Counter.Internal>();

  constructor(registry: Registry) {
    this.verifications = new Counter({
      name: 'security_token_verifications_total',
      help: 'Bearer tokens verified or refused, by outcome and stable error code',
      labelNames: ['outcome', 'code'],
      registers: [registry],
    });
    this.jwksFetches = new Counter({
      name: 'security_jwks_fetches_total',
      help: 'JWKS fetches from the authorization server, by outcome (success, failure)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'kafka_dead_letters_total',
      help: 'Kafka events refused and written to their dead-letter topic, by source topic and stable reason code',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.verified = this.verifications.labels({ outcome: 'verified', code: 'none' });
  }

  onVerified(): void {
    this.verified.inc();
  }

  onRefused(code: string): void {
    let child = this.refusedByCode.get(code);
    if (!child) {
      child = this.verifications.labels({ outcome: 'refused', code });
      this.refusedByCode.set(code, child);
    }
    child.inc();
  }

  onDeadLetter(topic: string, code: string): void {
    this.deadLetters.labels({ topic, reason: code }).inc();
  }

  onJwksFetch(outcome: JwksFetchOutcome): void {
    this.jwksFetches.labels({ outcome }).inc();
  }
}
