import { AppError, validationError } from '../errors';

/** Deeper than any request of the contract; a cycle or a nesting bomb stops here. */
export const MAX_DEPTH = 32;

/**
 * Measures a payload as UTF-8 JSON without serializing it, stopping as soon as it
 * passes `maxBytes`: a 1 MB "password" is refused before anything else looks at it
 * (no hashing, no schema work). Also refuses nesting past MAX_DEPTH and values that
 * cannot be read (throwing getters, revoked proxies): a renderer must not be able to
 * crash or stall the main process with what it sends.
 */
export function checkPayload(payload: unknown, maxBytes: number): AppError | null {
  try {
    return walk(payload, maxBytes);
  } catch {
    return validationError({ payload: 'could not be read' }, 'The request could not be read.');
  }
}

function walk(root: unknown, maxBytes: number): AppError | null {
  let bytes = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      // Every UTF-16 unit is at least one UTF-8 byte: a huge string is refused without encoding it.
      bytes += value.length > maxBytes ? value.length : Buffer.byteLength(value, 'utf8') + 2;
    } else if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      bytes += 8;
    } else if (isBinary(value)) {
      // Structured clone carries binary data over IPC: measured by byteLength, never
      // enumerated (Object.keys on a 10 MB typed array builds 10 million strings: seconds).
      bytes += value.byteLength;
    } else if (typeof value === 'object') {
      if (depth >= MAX_DEPTH) return validationError({ payload: 'is nested too deeply' }, 'The request is nested too deeply.');
      bytes += 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && bytes <= maxBytes; i++) {
          bytes += 1;
          stack.push({ value: value[i], depth: depth + 1 });
        }
      } else {
        for (const key of Object.keys(value)) {
          bytes += (key.length > maxBytes ? key.length : Buffer.byteLength(key, 'utf8')) + 4;
          if (bytes > maxBytes) break;
          stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    } else {
      bytes += 8; // undefined, bigint, symbol, function: the schema refuses them with a field error
    }
    if (bytes > maxBytes) {
      return new AppError('PAYLOAD_TOO_LARGE', `The request is larger than ${Math.round(maxBytes / 1024)} KiB.`);
    }
  }
  return null;
}

function isBinary(value: unknown): value is ArrayBufferView | ArrayBufferLike {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer;
}
