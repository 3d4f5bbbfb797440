/**
 * Whether a kafkajs failure is worth retrying. kafkajs marks each error `retriable`, but wraps a
 * retriable broker answer in a non-retriable one when its own retrier gives up (`bail`,
 * KafkaJSNumberOfRetriesExceeded), keeping the answer as `cause`/`originalError`: the chain is
 * walked, so "This server does not host this topic-partition" stays transient however it is
 * wrapped, while a genuinely fatal error (invalid topic name, no authorisation) does not.
 */
export function isTransientKafkaError(error: unknown): boolean {
  return chain(error).some((entry) => {
    const errors = (entry as { errors?: unknown }).errors;
    // A KafkaJSAggregateError (one error per topic) is transient only when each part is.
    if (Array.isArray(errors) && errors.length > 0) return errors.every(isTransientKafkaError);
    return (entry as { retriable?: unknown }).retriable === true;
  });
}

/** The innermost cause's message, with its Kafka error type when there is one (e.g. `UNKNOWN_TOPIC_OR_PARTITION`). */
export function describeKafkaError(error: unknown): string {
  const entries = chain(error);
  const root = entries[entries.length - 1] as { message?: string; type?: string } | undefined;
  const message = root?.message ?? String(error);
  return root?.type ? `${root.type}: ${message}` : message;
}

function chain(error: unknown): object[] {
  const entries: object[] = [];
  for (let entry = error; entry && typeof entry === 'object' && !entries.includes(entry) && entries.length < 10;) {
    entries.push(entry);
    const next = entry as { cause?: unknown; originalError?: unknown };
    entry = next.cause ?? next.originalError;
  }
  return entries;
}
