import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTimeZone, zoneOffsetMs, zonedDate, zonedMinuteOfDay, zonedTime } from '../../../../src/main/core/followup/zoned';

const iso = (d: Date): string => d.toISOString();
const H = 3_600_000;

describe('zoneOffsetMs', () => {
  it('reads standard and summer offsets', () => {
    expect(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Europe/London')).toBe(1 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * H);
    expect(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('changes exactly at the transition instant', () => {
    // New York springs forward at 02:00 EST = 07:00Z on 2026-03-08.
    expect(zoneOffsetMs(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * H);
  });

  it('refuses an unknown zone', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(() => zoneOffsetMs(0, 'Mars/Olympus_Mons')).toThrow(/Not a time zone/);
  });
});

describe('zonedTime: 09:00 local across daylight-saving changes', () => {
  it('America/New_York spring forward (2026-03-08): 09:00 is EDT that day, EST the day before', () => {
    expect(iso(zonedTime('2026-03-07', 9, 0, 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(zonedTime('2026-03-08', 9, 0, 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(zonedTime('2026-03-09', 9, 0, 'America/New_York'))).toBe('2026-03-09T13:00:00.000Z');
  });

  it('America/New_York fall back (2026-11-01): 09:00 is EST that day, EDT the day before', () => {
    expect(iso(zonedTime('2026-10-31', 9, 0, 'America/New_York'))).toBe('2026-10-31T13:00:00.000Z');
    expect(iso(zonedTime('2026-11-01', 9, 0, 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
  });

  it('Europe/London (2026-03-29 and 2026-10-25)', () => {
    expect(iso(zonedTime('2026-03-28', 9, 0, 'Europe/London'))).toBe('2026-03-28T09:00:00.000Z');
    expect(iso(zonedTime('2026-03-29', 9, 0, 'Europe/London'))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(zonedTime('2026-10-24', 9, 0, 'Europe/London'))).toBe('2026-10-24T08:00:00.000Z');
    expect(iso(zonedTime('2026-10-25', 9, 0, 'Europe/London'))).toBe('2026-10-25T09:00:00.000Z');
  });

  it('southern hemisphere and odd offsets', () => {
    // Sydney leaves summer time on 2026-04-05 (AEDT +11 → AEST +10).
    expect(iso(zonedTime('2026-04-04', 9, 0, 'Australia/Sydney'))).toBe('2026-04-03T22:00:00.000Z');
    expect(iso(zonedTime('2026-04-05', 9, 0, 'Australia/Sydney'))).toBe('2026-04-04T23:00:00.000Z');
    // Lord Howe moves by half an hour.
    expect(iso(zonedTime('2026-04-05', 9, 0, 'Australia/Lord_Howe'))).toBe('2026-04-04T22:30:00.000Z');
    expect(iso(zonedTime('2026-07-01', 9, 0, 'Asia/Kathmandu'))).toBe('2026-07-01T03:15:00.000Z');
  });

  it('a skipped wall time moves forward; a repeated one takes the first instant', () => {
    // 02:30 does not exist in New York on 2026-03-08: it becomes 03:30 EDT.
    expect(iso(zonedTime('2026-03-08', 2, 30, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: the first is EDT.
    expect(iso(zonedTime('2026-11-01', 1, 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // Santiago skips midnight on 2026-09-06: 00:00 becomes 01:00 (-03).
    expect(iso(zonedTime('2026-09-06', 0, 0, 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(zonedTime('2026-09-06', 9, 0, 'America/Santiago'))).toBe('2026-09-06T12:00:00.000Z');
  });

  it('refuses bad input', () => {
    expect(() => zonedTime('2026-02-30', 9, 0, 'UTC')).toThrow(/YYYY-MM-DD/);
    expect(() => zonedTime('2026-02-03', 24, 0, 'UTC')).toThrow(/time of day/);
    expect(() => zonedTime('2026-02-03', 9, 0, 'Nowhere/Land')).toThrow(/time zone/);
  });

  it('property: outside transitions, the instant reads back as that date and time', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Auckland'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 4, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (tz, dayOffset, hour, minute) => {
          const date = new Date(Date.UTC(2025, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);
          const at = zonedTime(date, hour, minute, tz);
          expect(zonedDate(at, tz)).toBe(date);
          expect(zonedMinuteOfDay(at, tz)).toBe(hour * 60 + minute);
        },
      ),
      { numRuns: 400 },
    );
  });
});
