/** WeCom and DingTalk robots answer HTTP 200 with `{"errcode","errmsg"}`; only errcode 0 is delivered. */
import { httpError, isSuccess, type HttpAnswer } from './http.ts';
import type { SendOutcome } from './sender.ts';

export function robotOutcome(answer: HttpAnswer): SendOutcome {
  if (!isSuccess(answer.status)) return httpError(answer);
  const json = answer.json as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (json?.errcode === 0) return { ok: true, statusCode: answer.status, error: null, receipt: { errcode: 0, errmsg: json.errmsg ?? null } };
  if (json && typeof json.errcode === 'number') return { ok: false, statusCode: answer.status, error: `errcode ${json.errcode}: ${String(json.errmsg ?? '')}` };
  return { ok: false, statusCode: answer.status, error: `unexpected answer: ${answer.text.slice(0, 200)}` };
}
