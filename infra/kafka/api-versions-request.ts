/**
 * A raw Kafka ApiVersions v0 request, framed (4-byte size, then the header): what the specs send to
 * see the broker's protocol versions, or to see a plaintext client turned away, without a client
 * library negotiating anything on their behalf.
 */
export function apiVersionsRequest(clientId: string, correlationId: number): Buffer {
  const id = Buffer.from(clientId);
  const body = Buffer.alloc(10 + id.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // v0
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(id.length, 8);
  id.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}
