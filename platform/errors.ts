import { ERROR_CATALOGUE, type ErrorCode, type FieldIssue } from '../contract/index.ts';

/** An error with a code from the catalogue; the HTTP layer turns it into `{error, message, details}`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    message?: string,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export function invalidField(path: string, message: string): ApiError {
  const issue: FieldIssue = { path, message };
  return new ApiError('validation_failed', [issue]);
}

/** PostgreSQL SQLSTATE of a failed query, if any. */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
