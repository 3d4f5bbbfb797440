import { DEFAULT_JSON_SHAPE_LIMITS, type JsonShapeLimits } from '@zt/security';
import { Env, readInteger } from './env-readers';

/**
 * The JSON shape limits every app applies to request bodies and Kafka event payloads (and the
 * gateway at the door). Defaults in every mode: they are safe values, not environment-specific.
 * The depth is capped at 256: a few thousand levels is where recursive code (class-transformer,
 * JSON.stringify) runs out of stack, and no bank API needs more than a handful.
 */
export function readJsonShapeLimits(env: Env): JsonShapeLimits {
  const d = DEFAULT_JSON_SHAPE_LIMITS;
  return {
    maxDepth: readInteger(env, 'JSON_MAX_DEPTH', d.maxDepth, 1, 256),
    maxObjectKeys: readInteger(env, 'JSON_MAX_OBJECT_KEYS', d.maxObjectKeys, 1, 100_000),
    maxTotalKeys: readInteger(env, 'JSON_MAX_TOTAL_KEYS', d.maxTotalKeys, 1, 1_000_000),
    maxArrayItems: readInteger(env, 'JSON_MAX_ARRAY_ITEMS', d.maxArrayItems, 1, 1_000_000),
    maxStringLength: readInteger(env, 'JSON_MAX_STRING_LENGTH', d.maxStringLength, 1, 16 * 1024 * 1024),
  };
}
