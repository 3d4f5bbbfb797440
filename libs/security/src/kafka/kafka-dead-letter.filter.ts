import { Catch, Inject, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { SecurityError } from '../errors/security-errors';
import { deadLetterRecord, shouldDeadLetter } from './dead-letter';
import { VERIFICATION_OBSERVER, type VerificationObserver } from '../verification/verification-observer';

/**
 * Security failures in a Kafka handler go to `<topic>.dlq` with the reason in headers; other
 * errors are rethrown untouched, so Kafka redelivers the event.
 *
 * It answers with a Promise, not an Observable, on purpose: Nest awaits a Promise returned for an
 * event handler before the kafkajs message handler resolves (and the offset may be committed), but
 * it only subscribes to an Observable without waiting. With a Promise, the offset moves on only
 * after the DLQ write succeeded, and a failed write or any other error reaches kafkajs, which
 * retries the event instead of losing it.
 */
@Catch()
export class KafkaDeadLetterFilter implements ExceptionFilter {
  private readonly logger = new Logger('Security');

  constructor(@Optional() @Inject(VERIFICATION_OBSERVER) private readonly observer?: VerificationObserver) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    if (!shouldDeadLetter(error) || host.getType() !== 'rpc') throw error;
    const kafka = host.switchToRpc().getContext<KafkaContext>();
    const topic = kafka.getTopic();
    const record = deadLetterRecord(topic, kafka.getPartition(), kafka.getMessage(), error as SecurityError);
    this.logger.warn(
      `${(error as SecurityError).toLogString()} [event ${topic}@${kafka.getPartition()}:${kafka.getMessage().offset} -> ${record.topic}]`,
    );
    await kafka.getProducer().send(record);
    // Counted once written: a failed write is retried by Kafka, not a dead letter yet.
    this.observer?.onDeadLetter?.(topic, (error as SecurityError).code);
  }
}
