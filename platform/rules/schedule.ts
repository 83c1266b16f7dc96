/** Rule schedules in the communities' local time (China Standard Time, UTC+8, no daylight saving). */
import type { RuleSchedule } from '../../contract/index.ts';
import { localTime } from '../local-time.ts';

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `ts` falls in the schedule; a window like 22:00–06:00 runs over midnight (the start day counts). */
export function inSchedule(schedule: RuleSchedule | undefined, ts: number): boolean {
  if (!schedule) return true;
  const { weekday, minutes } = localTime(ts);
  const from = toMinutes(schedule.from);
  const to = toMinutes(schedule.to);
  if (from < to) return schedule.days.includes(weekday) && minutes >= from && minutes < to;
  if (minutes >= from) return schedule.days.includes(weekday);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return minutes < to && schedule.days.includes(yesterday);
}
