import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { from, throwError, type Observable } from 'rxjs';
import { SecurityError } from '../errors/security-errors';
import { deadLetterRecord, shouldDeadLetter } from './dead-letter';

/**
 * Security failures in a Kafka handler go to `<topic>.dlq` with the reason in headers; the offset is
 * committed only after the DLQ write succeeded (if it fails, the error propagates and Kafka
 * redelivers). Other errors are rethrown untouched.
 */
@Catch()
export class KafkaDeadLetterFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Security');

  catch(error: unknown, host: ArgumentsHost): Observable<unknown> {
    if (!shouldDeadLetter(error) || host.getType() !== 'rpc') return throwError(() => error);
    const kafka = host.switchToRpc().getContext<KafkaContext>();
    const topic = kafka.getTopic();
    const record = deadLetterRecord(topic, kafka.getPartition(), kafka.getMessage(), error as SecurityError);
    this.logger.warn(`${(error as SecurityError).toLogString()} [event ${topic}@${kafka.getPartition()}:${kafka.getMessage().offset} -> ${record.topic}]`);
    return from(kafka.getProducer().send(record).then(() => undefined));
  }
}
