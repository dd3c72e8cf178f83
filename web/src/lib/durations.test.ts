import { describe, expect, it } from 'vitest';
import { fieldToMinutes, parseAutoCancel, parseReminders, splitMinutes } from './durations';

describe('splitMinutes', () => {
  it('shows whole hours as hours, the rest as minutes', () => {
    expect(splitMinutes(1440)).toEqual({ amount: '24', unit: 'hours' });
    expect(splitMinutes(120)).toEqual({ amount: '2', unit: 'hours' });
    expect(splitMinutes(180)).toEqual({ amount: '3', unit: 'hours' });
    expect(splitMinutes(90)).toEqual({ amount: '90', unit: 'minutes' });
    expect(splitMinutes(5)).toEqual({ amount: '5', unit: 'minutes' });
  });

  it('round-trips through fieldToMinutes', () => {
    for (const m of [5, 45, 60, 90, 180, 1440, 10080]) expect(fieldToMinutes(splitMinutes(m))).toBe(m);
  });
});

describe('fieldToMinutes', () => {
  it('multiplies by the unit and refuses what is not a whole positive number', () => {
    expect(fieldToMinutes({ amount: ' 3 ', unit: 'hours' })).toBe(180);
    expect(fieldToMinutes({ amount: '180', unit: 'minutes' })).toBe(180);
    for (const amount of ['', '0', '-5', '1.5', '2h', 'abc', '1234567']) {
      expect(fieldToMinutes({ amount, unit: 'minutes' }), amount).toBeNull();
    }
  });
});

describe('parseAutoCancel', () => {
  it('is null (never) when switched off, whatever the amount', () => {
    expect(parseAutoCancel(false, { amount: '', unit: 'minutes' })).toBeNull();
    expect(parseAutoCancel(false, { amount: 'junk', unit: 'hours' })).toBeNull();
  });

  it('takes 5 minutes to 7 days when on', () => {
    expect(parseAutoCancel(true, { amount: '180', unit: 'minutes' })).toBe(180);
    expect(parseAutoCancel(true, { amount: '3', unit: 'hours' })).toBe(180);
    expect(parseAutoCancel(true, { amount: '5', unit: 'minutes' })).toBe(5);
    expect(parseAutoCancel(true, { amount: '168', unit: 'hours' })).toBe(10080);
  });

  it('refuses anything else when on', () => {
    expect(parseAutoCancel(true, { amount: '', unit: 'minutes' })).toBeUndefined();
    expect(parseAutoCancel(true, { amount: '4', unit: 'minutes' })).toBeUndefined();
    expect(parseAutoCancel(true, { amount: '169', unit: 'hours' })).toBeUndefined();
    expect(parseAutoCancel(true, { amount: '2,5', unit: 'hours' })).toBeUndefined();
  });
});

describe('parseReminders', () => {
  it('gives minutes, largest first, without repeats, ignoring blank rows', () => {
    expect(
      parseReminders([
        { amount: '2', unit: 'hours' },
        { amount: '24', unit: 'hours' },
        { amount: '120', unit: 'minutes' },
        { amount: ' ', unit: 'hours' },
      ]),
    ).toEqual([1440, 120]);
    expect(parseReminders([])).toEqual([]);
  });

  it('refuses out-of-range rows and more than five reminders', () => {
    expect(parseReminders([{ amount: '3', unit: 'minutes' }])).toBeNull();
    expect(parseReminders([{ amount: '8', unit: 'hours' }, { amount: 'x', unit: 'hours' }])).toBeNull();
    expect(parseReminders([{ amount: '200', unit: 'hours' }])).toBeNull();
    const six = [1, 2, 3, 4, 5, 6].map((h) => ({ amount: String(h), unit: 'hours' as const }));
    expect(parseReminders(six)).toBeNull();
    expect(parseReminders(six.slice(0, 5))).toEqual([300, 240, 180, 120, 60]);
  });
});
