// date-chinese ships types/index.d.ts, but its package.json "exports" hides them from
// "moduleResolution": "Bundler". Only generate-lunar-dates.ts uses the library, and only this much.
declare module 'date-chinese' {
  export class CalendarVietnamese {
    /** Sexagenary cycle, year in cycle, lunar month, leap month (0 or 1), lunar day. */
    set(cycle: number, year: number, month: number, leap: number, day: number): this;
    /** The Gregorian date of the set lunar date, counted from the lunar new year of `gregorianYear`. */
    toGregorian(gregorianYear: number): { year: number; month: number; day: number };
  }
}
