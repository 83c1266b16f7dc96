/** One JSON POST with a deadline covering the whole exchange, and a cap on how much answer is read. */
import type { SendOutcome } from './sender.ts';

const MAX_ANSWER_BYTES = 16 * 1024;
const MAX_ERROR_TEXT = 200;

export interface HttpAnswer {
  status: number;
  text: string;
  /** The answer parsed as JSON, undefined when it is not JSON. */
  json: unknown;
}

export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Anju-Notify/1', ...headers },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await readCapped(response);
  return { status: response.status, text, json: parseJson(text) };
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The receipt kept for an answer: its JSON, else its text, else null. */
export function receiptOf(answer: HttpAnswer): unknown {
  return answer.json ?? (answer.text ? answer.text.slice(0, 2000) : null);
}

export function httpError(answer: HttpAnswer): SendOutcome {
  const snippet = answer.text.trim().slice(0, MAX_ERROR_TEXT);
  return { ok: false, statusCode: answer.status, error: `HTTP ${answer.status}${snippet ? `: ${snippet}` : ''}` };
}

/** A request that got no HTTP answer: timeout, refused connection, bad address. */
export function transportError(error: unknown, timeoutMs: number): SendOutcome {
  return { ok: false, statusCode: null, error: describeTransportError(error, timeoutMs) };
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;
