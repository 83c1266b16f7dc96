/**
 * The demo street's kiosks, through the public API: service hours, a maintainer with a login, and
 * yesterday's availability as the street's previous kiosk system recorded it, so that "which kiosks were
 * not available for their full service hours yesterday?" has an answer on a fresh demo — 幸福里's second
 * kiosk had a printer fault in the morning and lost its network in the afternoon.
 */
import type { Kiosk, KioskHistoryImport, ServiceWindow, Worker } from '../../contract/index.ts';
import type { ApiClient } from '../../simulators/provision.ts';
import { DAY_MS, localDayStart } from '../local-time.ts';
import type { DemoLogin } from './seed.ts';

const days = (list: number[], opens: string, closes: string): ServiceWindow[] => list.map((weekday) => ({ weekday, opens, closes }));

const HOURS: Record<string, ServiceWindow[]> = {
  'xfl-ctr-kiosk-1': days([1, 2, 3, 4, 5, 6, 7], '08:30', '17:30'),
  'xfl-ctr-kiosk-2': [...days([1, 2, 3, 4, 5], '08:30', '17:30'), ...days([6, 7], '09:00', '17:00')],
  'tyc-cwh-kiosk-1': days([1, 2, 3, 4, 5, 6], '09:00', '17:00'),
};

type Change = KioskHistoryImport['changes'][number];

/** Yesterday and the day before, local time: connected throughout but for the outages listed, handed over to Anju now. */
function history(id: string, now: number): Change[] {
  const yesterday = localDayStart(now) - DAY_MS;
  const at = (hhmm: string) => new Date(yesterday + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000).toISOString();
  const change = (time: string, reason: Change['reason'], unavailable: boolean, note?: string): Change => ({ at: at(time), reason, unavailable, ...(note ? { note } : {}) });
  const changes: Change[] = [{ at: new Date(yesterday - DAY_MS + 7 * 3600_000).toISOString(), reason: 'offline', unavailable: false }];
  if (id === 'xfl-ctr-kiosk-1') changes.push(change('02:10', 'offline', true, '夜间断电 power cut at night'), change('03:40', 'offline', false));
  if (id === 'xfl-ctr-kiosk-2') {
    changes.push(
      change('10:12', 'fault', true, '打印机卡纸 printer jam'),
      change('13:47', 'fault', false, '更换打印机定影组件 replaced the printer fuser'),
      change('16:05', 'offline', true, '网络中断 network down'),
      change('16:35', 'offline', false),
    );
  }
  changes.push({ at: new Date(now).toISOString(), reason: 'offline', unavailable: true, note: 'handed over to Anju' });
  return changes;
}

/** A maintainer for the street's kiosks (with a login to see its work orders), each kiosk's hours, and yesterday. */
export async function seedKiosks(api: ApiClient, logins: DemoLogin[], password: string): Promise<void> {
  const maintainer = await api.call<Worker>('POST', '/workers', { name: '马建国', communityId: 'xfl', position: 'maintainer', gridIds: [], channels: [] });
  await api.call('POST', '/users', { username: 'majianguo', password, role: 'worker', displayName: '马建国', workerId: maintainer.id });
  logins.push({ username: 'majianguo', password, role: 'worker', who: '马建国, kiosk maintainer (设备运维): the kiosks’ work orders' });
  const present = new Set((await api.call<Kiosk[]>('GET', '/kiosks')).map((k) => k.deviceId));
  const now = Date.now();
  for (const [id, serviceHours] of Object.entries(HOURS)) {
    if (!present.has(id)) continue;
    await api.call('PATCH', `/kiosks/${id}`, { serviceHours, maintainerWorkerId: maintainer.id });
    await api.call('POST', `/kiosks/${id}/availability/history`, { changes: history(id, now) });
  }
}
