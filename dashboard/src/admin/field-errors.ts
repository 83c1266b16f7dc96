/**
 * Validation answers of the API, per field: a 400 `validation_failed` lists `{path, message}` for each
 * offending field ("condition.steps.1.value"); forms show each message next to its field, and all of
 * them in a summary at the top so that none is lost.
 */
import { shallowRef, type Ref } from 'vue';
import { ApiError } from '../api/client.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

function isIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && typeof (value as FieldIssue).path === 'string' && typeof (value as FieldIssue).message === 'string';
}

/** The per-field issues an error carries (none for anything but an API answer with a list of them). */
export function fieldIssuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details.filter(isIssue).map(({ path, message }) => ({ path, message }));
}

/** An id safe for HTML from a form's prefix and a field path. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function createFieldErrors(prefix: string) {
  const failure = shallowRef<unknown>(null);
  const issues = shallowRef<FieldIssue[]>([]);

  function at(path: string): string[] {
    return issues.value.filter((i) => i.path === path).map((i) => i.message);
  }

  return {
    failure,
    issues,
    set(error: unknown): void {
      failure.value = error;
      issues.value = fieldIssuesOf(error);
    },
    /** Issues found before sending (the same shape as the API's). */
    setIssues(list: FieldIssue[]): void {
      failure.value = null;
      issues.value = list;
    },
    clear(): void {
      failure.value = null;
      issues.value = [];
    },
    at,
    has: (path: string) => at(path).length > 0,
    /** The id of a field's message, for the input's `aria-describedby`. */
    messageId: (path: string) => fieldId(`${prefix}-error`, path),
    /** `aria-describedby` for an input: its message when it has one. */
    describedBy(path: string): string | undefined {
      return at(path).length ? fieldId(`${prefix}-error`, path) : undefined;
    },
    /** True while something is wrong with the last attempt. */
    get any(): boolean {
      return failure.value !== null || issues.value.length > 0;
    },
  };
}

export type FieldErrors = ReturnType<typeof createFieldErrors>;

/** Sends with `busy` set for the while; a failure lands in `errors` (by field where the API says which). */
export async function sendWithErrors(busy: Ref<boolean>, errors: FieldErrors, send: () => Promise<void>): Promise<void> {
  busy.value = true;
  try {
    await send();
  } catch (failure) {
    errors.set(failure);
  } finally {
    busy.value = false;
  }
}
