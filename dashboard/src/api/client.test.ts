import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './client.ts';

function answer(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

describe('api client', () => {
  it('sends the bearer token and the query, and returns the JSON answer', async () => {
    const fetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => answer(200, []));
    const api = createApiClient({ getToken: () => 'tok', fetch });
    await expect(api.alerts({ status: 'active', communityId: 'c1', limit: 1000 })).resolves.toEqual([]);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/alerts?status=active&communityId=c1&limit=1000');
    expect((init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('posts the resolve body as JSON', async () => {
    const fetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => answer(200, { id: 'a1' }));
    const api = createApiClient({ getToken: () => 'tok', fetch });
    await api.resolve('a1', { disposition: 'false_alarm' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/alerts/a1/resolve');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ disposition: 'false_alarm' });
  });

  it('turns an error body into an ApiError with its code and signs out on 401', async () => {
    const onUnauthorized = vi.fn();
    const fetch = vi.fn(() => answer(401, { error: 'unauthorized', message: 'A valid bearer token is required.' }));
    const api = createApiClient({ getToken: () => 'old', fetch, onUnauthorized });
    const failure = await api.devices('c1').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not treat wrong credentials at sign-in as an expired session', async () => {
    const onUnauthorized = vi.fn();
    const fetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => answer(401, { error: 'invalid_credentials', message: 'wrong' }));
    const api = createApiClient({ getToken: () => null, fetch, onUnauthorized });
    await expect(api.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect((fetch.mock.calls[0]![1]?.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('reports an unreachable server as a network error', async () => {
    const api = createApiClient({ getToken: () => 'tok', fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.communities()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('downloads the indicators CSV with the token and the server’s file name', async () => {
    const fetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(new Response('\uFEFF编号 No.,指标\n', { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="anju-indicators-2026-11-29.csv"' } })),
    );
    const api = createApiClient({ getToken: () => 'tok', fetch });
    const file = await api.indicatorsCsv();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/indicators.csv');
    expect((init?.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(file.filename).toBe('anju-indicators-2026-11-29.csv');
    expect(await file.blob.text()).toContain('编号 No.');
  });

  it('deletes with an empty 204 answer, and sends boolean filters as words', async () => {
    const fetch = vi.fn((_url: RequestInfo | URL, _init?: RequestInit) => Promise.resolve(new Response(null, { status: 204 })));
    const api = createApiClient({ getToken: () => 'tok', fetch });
    await expect(api.deleteSocialOrganisation('org-1')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]![1]?.method).toBe('DELETE');

    fetch.mockImplementationOnce(() => answer(200, []));
    await api.requests({ overdue: true, communityId: 'c1' });
    expect(fetch.mock.calls[1]![0]).toBe('/api/v1/requests?overdue=true&communityId=c1');
  });
});
