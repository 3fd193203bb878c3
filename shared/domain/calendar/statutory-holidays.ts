import { addDays, weekday } from '../time';
import { lunarHolidaysOf } from './lunar';
import type { CalendarEntry } from './types';

const STATUTORY_SOURCE = 'Bộ luật Lao động 2019, Điều 112 khoản 1 (quy tắc dự phòng: năm chưa có quyết định nghỉ lễ trong lịch)';
const SUBSTITUTE_SOURCE = 'Bộ luật Lao động 2019, Điều 111 khoản 3 (quy tắc dự phòng: nghỉ bù vào ngày làm việc kế tiếp)';

const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;

const isWeekend = (date: string): boolean => [SATURDAY, SUNDAY].includes(weekday(date));

/**
 * The adjacent Quốc khánh day. The Code says "2/9 and one day immediately before or after" and
 * leaves the choice to the Prime Minister; this picks the day that joins the break to a weekend,
 * which is what every decision since the rule began (2021) did: 3/9 when 2/9 is a Monday (2024)
 * or Thursday (2021), otherwise 1/9 (2022 Fri, 2023 Sat, 2025 Tue, 2026 Wed).
 */
function nationalDayAdjacent(year: number): string {
  const nationalDay = `${year}-09-02`;
  return [MONDAY, THURSDAY].includes(weekday(nationalDay)) ? `${year}-09-03` : `${year}-09-01`;
}

/**
 * The calendar of a year nobody has decided yet, from the Labour Code 2019:
 * - art. 112.1: 1/1; Tết (5 days); Hùng Kings' day (10/3 lunar); 30/4; 1/5; 2/9 and an adjacent day;
 * - art. 111.3: a holiday on Saturday or Sunday gives a substitute on the next working day.
 *
 * Tết: the Code fixes 5 days and leaves their placement to the Prime Minister each year. This
 * takes the last day of the lunar year and the first four of the new one, the pattern of the
 * 2026 decision (16–20/2/2026) and the one the Ministry lists first for enterprises. (2025 used
 * two days before and three after; that is why decided years go in the official table.)
 *
 * Make-up working days cannot be predicted: they are swaps the Prime Minister grants case by case.
 */
export function statutoryCalendarOf(year: number): readonly CalendarEntry[] {
  const { lunarNewYear, hungKingsDay } = lunarHolidaysOf(year);
  const holidays: CalendarEntry[] = [
    { date: `${year}-01-01`, name: 'Tết Dương lịch' },
    { date: addDays(lunarNewYear, -1), name: 'Tết Nguyên đán (ngày cuối năm âm lịch)' },
    { date: lunarNewYear, name: 'Tết Nguyên đán (mùng 1)' },
    { date: addDays(lunarNewYear, 1), name: 'Tết Nguyên đán (mùng 2)' },
    { date: addDays(lunarNewYear, 2), name: 'Tết Nguyên đán (mùng 3)' },
    { date: addDays(lunarNewYear, 3), name: 'Tết Nguyên đán (mùng 4)' },
    { date: hungKingsDay, name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
    { date: `${year}-04-30`, name: 'Ngày Chiến thắng' },
    { date: `${year}-05-01`, name: 'Ngày Quốc tế Lao động' },
    { date: `${year}-09-02`, name: 'Quốc khánh' },
    { date: nationalDayAdjacent(year), name: 'Quốc khánh (ngày liền kề)' },
  ]
    .map((holiday): CalendarEntry => ({ ...holiday, kind: 'holiday', source: STATUTORY_SOURCE }))
    .sort((a, b) => a.date.localeCompare(b.date));

  const daysOff = new Set(holidays.map((holiday) => holiday.date));
  const substitutes: CalendarEntry[] = [];
  // In date order, so that two weekend Tết days take the first two free weekdays after the break.
  for (const holiday of holidays) {
    if (!isWeekend(holiday.date)) continue;
    let substitute = addDays(holiday.date, 1);
    while (isWeekend(substitute) || daysOff.has(substitute)) substitute = addDays(substitute, 1);
    daysOff.add(substitute);
    substitutes.push({ date: substitute, kind: 'substitute', name: `Nghỉ bù ${holiday.name}`, source: SUBSTITUTE_SOURCE });
  }

  return [...holidays, ...substitutes].sort((a, b) => a.date.localeCompare(b.date));
}
