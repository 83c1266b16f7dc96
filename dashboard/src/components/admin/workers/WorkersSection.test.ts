import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { UserCreate, WorkerCreate, WorkerPatch } from '../../../../../contract/index.ts';
import { ApiError } from '../../../api/client.ts';
import { makeWorker, makeWorkerUser } from '../../../testing/admin-fixtures.ts';
import { fakeApi, mountWith, testState } from '../../../testing/fixtures.ts';
import WorkersSection from './WorkersSection.vue';

async function mountWorkers(overrides: Parameters<typeof fakeApi>[0] = {}, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const api = fakeApi({
    workers: vi.fn(() => Promise.resolve([makeWorker({ roster: [{ weekday: 1, starts: '08:00', ends: '18:00' }] }), makeWorker({ id: 'w2', name: '李强', gridIds: [] })])),
    ...overrides,
  });
  const state = testState(api);
  const wrapper = mountWith(WorkersSection, { state, locale });
  await flushPromises();
  return { wrapper, api };
}

const patchAnswer = (id: string, body: WorkerPatch) => Promise.resolve(makeWorker({ id, ...(body as object) }));

describe('workers', () => {
  it('edits the weekly roster: adds an overnight shift, changes a day, removes one, and saves', async () => {
    const patchWorker = vi.fn(patchAnswer);
    const { wrapper } = await mountWorkers({ patchWorker }, 'en');
    await wrapper.find('[data-worker-id="w1"] [data-testid="worker-edit"]').trigger('click');
    const roster = () => wrapper.find('[data-testid="roster-editor"]');
    expect(roster().findAll('[data-testid="roster-shift"]')).toHaveLength(1);
    expect((roster().find('[data-testid="shift-weekday"]').element as HTMLSelectElement).selectedOptions[0]!.text).toBe('Monday');

    await roster().find('[data-testid="shift-add"]').trigger('click');
    await roster().find('[data-testid="shift-add"]').trigger('click');
    const shifts = roster().findAll('[data-testid="roster-shift"]');
    expect(shifts).toHaveLength(3);
    await shifts[1]!.find('[data-testid="shift-weekday"]').setValue('5');
    await shifts[1]!.find('[data-testid="shift-starts"]').setValue('20:00');
    await shifts[1]!.find('[data-testid="shift-ends"]').setValue('08:00');
    expect(shifts[1]!.text()).toContain('(next day)');
    await shifts[2]!.find('[data-testid="shift-remove"]').trigger('click');
    await roster().trigger('submit');
    await flushPromises();

    expect(patchWorker).toHaveBeenCalledWith('w1', {
      roster: [
        { weekday: 1, starts: '08:00', ends: '18:00' },
        { weekday: 5, starts: '20:00', ends: '08:00' },
      ],
    });
    expect(roster().text()).toContain('Roster saved.');
  });

  it('refuses a shift that ends when it starts, before asking the API', async () => {
    const patchWorker = vi.fn(patchAnswer);
    const { wrapper } = await mountWorkers({ patchWorker });
    await wrapper.find('[data-worker-id="w1"] [data-testid="worker-edit"]').trigger('click');
    await wrapper.find('[data-testid="shift-ends"]').setValue('08:00');
    await wrapper.find('[data-testid="roster-editor"]').trigger('submit');
    expect(patchWorker).not.toHaveBeenCalled();
    const ends = wrapper.find('[data-testid="shift-ends"]');
    expect(ends.attributes('aria-invalid')).toBe('true');
    expect(wrapper.find(`#${ends.attributes('aria-describedby')}`).text()).toContain('结束时间不能和开始时间相同。');
  });

  it('sets away-until with a backup worker, and ends the leave', async () => {
    const patchWorker = vi.fn(patchAnswer);
    const { wrapper } = await mountWorkers({ patchWorker });
    await wrapper.find('[data-worker-id="w1"] [data-testid="worker-edit"]').trigger('click');
    await wrapper.find('[data-testid="away-until"]').setValue('2030-05-01T18:30');
    await wrapper.find('[data-testid="away-backup"]').setValue('w2');
    await wrapper.find('[data-testid="away-editor"]').trigger('submit');
    await flushPromises();
    expect(patchWorker).toHaveBeenCalledWith('w1', { awayUntil: new Date(2030, 4, 1, 18, 30).toISOString(), backupWorkerId: 'w2' });

    await wrapper.find('[data-testid="away-clear"]').trigger('click');
    await flushPromises();
    expect(patchWorker).toHaveBeenLastCalledWith('w1', { awayUntil: null, backupWorkerId: null });
  });

  it('creates a worker with grids and channels, showing the API’s message on the channel field', async () => {
    const createWorker = vi
      .fn((_body: WorkerCreate) => Promise.resolve(makeWorker({ id: 'w9', name: '赵敏' })))
      .mockRejectedValueOnce(new ApiError(400, 'validation_failed', 'invalid', [{ in: 'body', path: 'channels.0.url', message: 'Invalid URL' }]));
    const { wrapper } = await mountWorkers({ createWorker });
    await wrapper.find('[data-testid="worker-new"]').trigger('click');
    await wrapper.find('[data-testid="worker-name"]').setValue('赵敏');
    await wrapper.find('[data-testid="worker-position"]').setValue('grid_leader');
    await wrapper.find('[data-testid="worker-grid-g1"]').setValue(true);
    await wrapper.find('[data-testid="channel-add"]').trigger('click');
    await wrapper.find('[data-testid="channel-type"]').setValue('wecom');
    await wrapper.find('[data-testid="channel-url"]').setValue('not a url');
    await wrapper.find('[data-testid="worker-form"]').trigger('submit');
    await flushPromises();
    const url = wrapper.find('[data-testid="channel-url"]');
    expect(wrapper.find(`#${url.attributes('aria-describedby')}`).text()).toContain('Invalid URL');

    await url.setValue('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k');
    await wrapper.find('[data-testid="worker-form"]').trigger('submit');
    await flushPromises();
    expect(createWorker).toHaveBeenLastCalledWith({
      name: '赵敏',
      communityId: 'c1',
      position: 'grid_leader',
      gridIds: ['g1'],
      channels: [{ type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }],
    });
  });

  it('creates a worker login linked to the worker, and an operator login with communities', async () => {
    const createUser = vi.fn((body: UserCreate) => Promise.resolve(makeWorkerUser({ username: body.username })));
    const { wrapper } = await mountWorkers({ createUser });
    await wrapper.find('[data-worker-id="w2"] [data-testid="worker-edit"]').trigger('click');
    const form = wrapper.find('[data-testid="worker-editor"] [data-testid="user-form"]');
    await form.find('[data-testid="user-username"]').setValue('liqiang');
    await form.find('[data-testid="user-password"]').setValue('long-enough');
    await form.trigger('submit');
    await flushPromises();
    expect(createUser).toHaveBeenCalledWith({ username: 'liqiang', password: 'long-enough', role: 'worker', displayName: '李强', workerId: 'w2' });

    const general = wrapper.find('[data-testid="users-panel"] [data-testid="user-form"]');
    await general.find('[data-testid="user-role"]').setValue('operator');
    await general.find('[data-testid="user-username"]').setValue('control2');
    await general.find('[data-testid="user-password"]').setValue('long-enough');
    await general.find('[data-testid="user-community-c1"]').setValue(true);
    await general.trigger('submit');
    await flushPromises();
    expect(createUser).toHaveBeenLastCalledWith({ username: 'control2', password: 'long-enough', role: 'operator', communityIds: ['c1'] });
  });
});
