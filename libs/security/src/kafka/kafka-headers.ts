/** Header names of the event contract (lower case, as written by KafkaEventPublisher). */
export const EventHeaders = {
  AUTHORIZATION: 'authorization',
  EVENT_ID: 'event-id',
  TRACEPARENT: 'traceparent',
} as const;

const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Reads one header as a string, whatever shape it arrives in: kafkajs gives Buffers (or arrays of
 * them), Nest's parser gives strings, or objects when the text happened to look like JSON.
 * Anything missing, repeated, non-text or oversized is `undefined`: a bad header never crashes us,
 * and the caller decides what "absent" means (for `authorization`: reject).
 */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (!Object.prototype.hasOwnProperty.call(headers, name)) return undefined;
  let value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    if (value.length !== 1) return undefined;
    value = value[0];
  }
  if (Buffer.isBuffer(value)) return value.length <= MAX_HEADER_BYTES ? value.toString('utf8') : undefined;
  if (typeof value === 'string') return value.length <= MAX_HEADER_BYTES ? value : undefined;
  return undefined;
}
