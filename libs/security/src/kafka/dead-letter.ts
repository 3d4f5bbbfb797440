import type { IHeaders, Message } from 'kafkajs';
import { SecurityError } from '../errors/security-errors';
import { tokenFingerprint } from '../http/token-fingerprint';
import { EventHeaders, readHeader } from './kafka-headers';
import { eventBytes } from './event-binding';

export const DLQ_SUFFIX = '.dlq';
export const DlqHeaders = {
  REASON: 'dlq-reason',
  ORIGINAL_TOPIC: 'dlq-original-topic',
  ORIGINAL_PARTITION: 'dlq-original-partition',
  ORIGINAL_OFFSET: 'dlq-original-offset',
  TOKEN_SHA256: 'dlq-token-sha256',
} as const;

export interface ConsumedMessage {
  key?: Buffer | string | null;
  value: Buffer | string | object | null;
  headers?: IHeaders | Record<string, unknown>;
  offset?: string;
}

/**
 * Security failures are permanent (retrying a forged token never helps), so they are dead-lettered;
 * anything else is rethrown so Kafka redelivers it. Either way nothing is dropped silently.
 */
export function shouldDeadLetter(error: unknown): error is SecurityError {
  return error instanceof SecurityError;
}

/**
 * The dead-letter record: the original bytes and headers, MINUS the token (a DLQ is read by more
 * people than the service; it keeps a fingerprint instead), PLUS the reason code and origin.
 */
export function deadLetterRecord(
  topic: string,
  partition: number,
  message: ConsumedMessage,
  error: SecurityError,
): { topic: string; messages: Message[] } {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (name === EventHeaders.AUTHORIZATION) continue;
    const text = readHeader(message.headers, name);
    if (text !== undefined) headers[name] = text;
    else if (value !== null && value !== undefined) headers[name] = JSON.stringify(value);
  }
  const auth = readHeader(message.headers, EventHeaders.AUTHORIZATION);
  Object.assign(headers, {
    [DlqHeaders.REASON]: error.code,
    [DlqHeaders.ORIGINAL_TOPIC]: topic,
    [DlqHeaders.ORIGINAL_PARTITION]: String(partition),
    [DlqHeaders.ORIGINAL_OFFSET]: message.offset ?? '',
    [DlqHeaders.TOKEN_SHA256]: tokenFingerprint(auth?.replace(/^bearer +/i, '')) ?? '',
  });
  const key =
    message.key === undefined || message.key === null
      ? null
      : Buffer.isBuffer(message.key)
        ? message.key
        : String(message.key);
  return {
    topic: `${topic}${DLQ_SUFFIX}`,
    messages: [{ key, value: message.value === null ? null : eventBytes(message.value), headers }],
  };
}
