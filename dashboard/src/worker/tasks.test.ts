import { describe, expect, it, vi } from 'vitest';
import type { Kiosk, ServiceRequest, Visit, VisitDue } from '../../../contract/index.ts';
import { fakeApi } from '../testing/fixtures.ts';
import { makeRequest, makeResident, makeVisitDue, makeWorkOrder } from '../testing/service-fixtures.ts';
import { createMyRequests } from './my-requests.ts';
import { createMyVisits } from './my-visits.ts';
import { createMyWorkOrders } from './my-work-orders.ts';

const visit = (overrides: Partial<Visit> = {}): Visit => ({
  id: 'v1',
  residentId: 'r1',
  residentName: '张桂兰',
  workerId: 'w1',
  workerName: '王芳',
  visitedAt: new Date().toISOString(),
  outcome: 'well',
  note: null,
  followUp: false,
  recordedBy: '王芳',
  ...overrides,
});

describe('my visits', () => {
  const two = (): VisitDue[] => [makeVisitDue(), makeVisitDue({ resident: makeResident({ id: 'r2', name: '李秀英' }), status: 'overdue' })];

  it('keeps the due and overdue ones, overdue first', async () => {
    const api = fakeApi({ visitsDue: vi.fn(() => Promise.resolve([...two(), makeVisitDue({ resident: makeResident({ id: 'r3' }), status: 'done' })])) });
    const visits = createMyVisits({ api });
    await visits.resync();
    expect(api.visitsDue).toHaveBeenCalledWith({ assignedTo: 'me' });
    expect(visits.list.value.map((v) => v.resident.id)).toEqual(['r2', 'r1']);
  });

  it('takes a resident off for a visit that counts this month; "not at home" stays with the attempt as the last visit', async () => {
    const api = fakeApi({ visitsDue: vi.fn(() => Promise.resolve(two())) });
    const visits = createMyVisits({ api });
    await visits.resync();
    visits.recorded(visit({ residentId: 'r1', outcome: 'not_home' }));
    expect(visits.list.value.map((v) => [v.resident.id, v.lastVisit?.outcome ?? null])).toEqual([
      ['r2', null],
      ['r1', 'not_home'],
    ]);
    visits.recorded(visit({ residentId: 'r2', outcome: 'needs_help' }));
    expect(visits.list.value.map((v) => v.resident.id)).toEqual(['r1']);
    expect(api.visitsDue).toHaveBeenCalledTimes(1);
  });

  it('asks the server again after a visit recorded for an earlier month', async () => {
    const api = fakeApi({ visitsDue: vi.fn(() => Promise.resolve(two())) });
    const visits = createMyVisits({ api });
    await visits.resync();
    visits.recorded(visit({ residentId: 'r2', visitedAt: new Date(Date.now() - 40 * 86_400_000).toISOString() }));
    expect(api.visitsDue).toHaveBeenCalledTimes(2);
  });
});

describe('my requests', () => {
  it('reads the active ones assigned to me, overdue first, and holds live updates until the read is in', async () => {
    let answer!: (list: ServiceRequest[]) => void;
    const api = fakeApi({ requests: vi.fn(() => new Promise<ServiceRequest[]>((resolve) => (answer = resolve))) });
    const requests = createMyRequests({ api, workerId: () => 'w1' });
    const reading = requests.resync();
    expect(api.requests).toHaveBeenCalledWith({ assignedTo: 'me', status: 'active' });
    // Arrives while the read is in flight: replayed on top of its answer, not overwritten by it.
    requests.apply({ type: 'request.updated', request: makeRequest({ id: 'a', status: 'closed' }) });
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    answer([makeRequest({ id: 'a', deadline: at(1) }), makeRequest({ id: 'c', deadline: at(2) }), makeRequest({ id: 'b', deadline: at(-1), overdue: true })]);
    await reading;
    expect(requests.list.value.map((r) => r.id)).toEqual(['b', 'c']);
    expect(requests.loaded.value).toBe(true);
  });

  it('does nothing without a worker id', async () => {
    const api = fakeApi();
    const requests = createMyRequests({ api, workerId: () => null });
    await requests.resync();
    requests.apply({ type: 'request.updated', request: makeRequest() });
    expect(api.requests).not.toHaveBeenCalled();
    expect(requests.list.value).toEqual([]);
  });
});

describe('my kiosk work orders', () => {
  const maintained = (workerId: string) => [{ deviceId: 'kiosk-2', maintainer: { workerId, name: '某人', phone: null } } as unknown as Kiosk];

  it('is relevant to a kiosk maintainer, oldest order first, and stays after the last one is closed', async () => {
    const api = fakeApi({
      kiosks: vi.fn(() => Promise.resolve(maintained('w1'))),
      workOrders: vi.fn(() => Promise.resolve([makeWorkOrder({ id: 'new', openedAt: '2025-01-03T00:00:00.000Z' }), makeWorkOrder({ id: 'old' })])),
    });
    const orders = createMyWorkOrders({ api, workerId: () => 'w1' });
    await orders.resync();
    expect(api.workOrders).toHaveBeenCalledWith({ maintainer: 'me', status: 'open' });
    expect(orders.relevant.value).toBe(true);
    expect(orders.list.value.map((o) => o.id)).toEqual(['old', 'new']);
    orders.closed('old');
    orders.closed('new');
    expect(orders.list.value).toEqual([]);
    expect(orders.relevant.value).toBe(true);
  });

  it('is not relevant to a worker who maintains no kiosk and has no order, even when a read fails', async () => {
    const api = fakeApi({ kiosks: vi.fn(() => Promise.resolve(maintained('w9'))) });
    const orders = createMyWorkOrders({ api, workerId: () => 'w1' });
    await orders.resync();
    expect(orders.relevant.value).toBe(false);
    (api.kiosks as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('down'));
    await orders.resync();
    expect(orders.error.value).toBeInstanceOf(Error);
    expect(orders.relevant.value).toBe(false);
  });
});
