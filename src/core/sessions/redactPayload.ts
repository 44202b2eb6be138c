import { redactDeep } from '../policy/redact';

/** Masks secrets in every string of a session event payload; see `redactDeep`. */
export function redactPayload<T>(value: T): { value: T; count: number } {
  const { value: masked, count } = redactDeep(value);
  return { value: masked, count };
}
