// Reading a pasted reply: dates, relative ones resolved against the reply's own date (moved from replies.test.ts).
import { describe, expect, it } from 'vitest';
import { findDates } from '../../../../src/main/core/followup/reply-dates';

const DEFAULT_DATE = '2026-03-04';

describe('reading text', () => {
  it('relative dates resolve against the reply date, both directions', () => {
    const at = (t: string, direction: 'future' | 'past' = 'future', ref = DEFAULT_DATE) =>
      findDates(t, { ref, direction }).map((d) => d.date ?? d.problem);
    expect(at('tomorrow')).toEqual(['2026-03-05']);
    expect(at('Friday')).toEqual(['2026-03-06']);
    expect(at('Wednesday')).toEqual(['2026-03-11']);
    expect(at('this Wednesday')).toEqual(['2026-03-04']);
    expect(at('next Monday')).toEqual(['2026-03-09']);
    expect(at('next Friday', 'future', '2026-03-07')).toEqual(['2026-03-13']);
    expect(at('last Friday', 'past')).toEqual(['2026-02-27']);
    expect(at('on Monday', 'past')).toEqual(['2026-03-02']);
    expect(at('end of the month', 'future', '2026-02-10')).toEqual(['2026-02-28']);
    expect(at('end of next month')).toEqual(['2026-04-30']);
    expect(at('first of next month')).toEqual(['2026-04-01']);
    expect(at('in two weeks')).toEqual(['2026-03-18']);
    expect(at('in 10 days')).toEqual(['2026-03-14']);
    expect(at('within 5 business days')).toEqual(['2026-03-11']);
    expect(at('in a month', 'future', '2026-01-31')).toEqual(['2026-02-28']);
    expect(at('the 31st', 'future', '2026-04-05')).toEqual(['2026-05-31']);
    expect(at('the 2nd')).toEqual(['2026-04-02']);
    expect(at('Feb 27', 'past')).toEqual(['2026-02-27']);
    expect(at('March 2', 'future')[0]).toMatch(/before the reply's date/);
    expect(at('next month')[0]).toMatch(/no specific day/);
    expect(at('in a couple of weeks')[0]).toMatch(/no exact day/);
    expect(at('04/03')[0]).toMatch(/could be April 3 or 4 March/);
    expect(findDates('04/03', { ref: DEFAULT_DATE, direction: 'future', dateOrder: 'dmy' })[0]!.date).toBe('2026-03-04');
    expect(at('tomorrow', 'future', null as unknown as string)).toEqual([
      '"tomorrow" depends on when the reply was written, and the reply has no date. Which date did the customer mean?',
    ]);
    expect(findDates('March 20, 2026', { ref: null, direction: 'future' })[0]!.date).toBe('2026-03-20');
  });
});
