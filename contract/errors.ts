import { z } from 'zod';

/**
 * The one catalogue of error codes. HTTP answers and the device `errors` topic use the same codes;
 * `docs/errors.md` documents each (a test keeps the two in step).
 */
export const ERROR_CATALOGUE = {
  // --- HTTP and general
  validation_failed: { status: 400, message: 'The request is not valid; each offending field is listed in details.' },
  invalid_json: { status: 400, message: 'The payload is not valid JSON.' },
  unauthorized: { status: 401, message: 'A valid bearer token is required.' },
  invalid_credentials: { status: 401, message: 'The username or password is wrong.' },
  too_many_attempts: { status: 429, message: 'Too many failed sign-ins for this account; wait before trying again.' },
  rate_limited: { status: 429, message: 'Too many requests from this address; slow down.' },
  forbidden: { status: 403, message: 'Your role may not do this.' },
  not_found: { status: 404, message: 'No such resource, or it is outside your scope.' },
  already_exists: { status: 409, message: 'A resource with this id or name already exists.' },
  invalid_transition: { status: 409, message: 'The alert lifecycle does not allow this step from the current status.' },
  request_not_closed: { status: 409, message: 'The request is not closed yet; it can be rated once it is.' },
  already_rated: { status: 409, message: 'The request has been rated already; a rating is given once.' },
  unavailable: { status: 503, message: 'The service is not ready: it is starting, stopping or cannot reach its database.' },
  internal: { status: 500, message: 'An unexpected error occurred; it has been logged.' },
  // --- device payloads (sent on anju/v1/devices/{id}/errors)
  payload_too_large: { status: 413, message: 'The payload is larger than the platform accepts.' },
  invalid_payload: { status: 422, message: 'The payload does not match the device contract; each offending field is listed in details.' },
  unknown_metric: { status: 422, message: 'The telemetry names a field this device kind does not define.' },
  unknown_event: { status: 422, message: 'The event is not one this device kind defines.' },
  invalid_timestamp: { status: 422, message: 'The timestamp is neither epoch milliseconds nor ISO-8601, or lies too far in the future or past.' },
  invalid_status: { status: 422, message: 'The status topic accepts only "online" or "offline".' },
  unsupported_topic: { status: 422, message: 'This topic is not part of the device contract or its dialect; the payload was not stored.' },
  ignored: { status: 202, message: 'The payload was understood but Anju does not store it.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export interface FieldIssue {
  path: string;
  message: string;
}

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** What a device receives on its `errors` topic for each rejected payload. */
export const DeviceErrorPayload = z.object({
  topic: z.string(),
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type DeviceErrorPayload = z.infer<typeof DeviceErrorPayload>;

/** Turns zod issues into `{path, message}` pairs, one per offending field. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}
