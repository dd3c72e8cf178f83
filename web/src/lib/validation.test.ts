import { describe, expect, it } from 'vitest';
import {
  isValidDate,
  isValidPhone,
  isValidTime,
  normalizePhone,
  parseDuration,
  parsePrice,
  parseTelegramId,
  validateClient,
  validateGenerate,
  validatePassword,
  validateService,
  validateSettings,
  validateSlot,
} from './validation';

describe('time and date', () => {
  it('accepts HH:MM from 00:00 to 23:59 only', () => {
    for (const ok of ['00:00', '09:30', '23:59', ' 10:00 ']) expect(isValidTime(ok)).toBe(true);
    for (const bad of ['24:00', '9:30', '09:60', '0930', '09:30:00', '']) expect(isValidTime(bad)).toBe(false);
  });

  it('accepts real calendar dates only', () => {
    expect(isValidDate('2026-02-28')).toBe(true);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('29.02.2026')).toBe(false);
  });
});

describe('numbers', () => {
  it('parses durations from 5 to 1440 whole minutes', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('5')).toBe(5);
    expect(parseDuration('1440')).toBe(1440);
    for (const bad of ['4', '1441', '1.5', '-30', 'abc', '']) expect(parseDuration(bad)).toBeNull();
  });

  it('parses prices, empty meaning no price', () => {
    expect(parsePrice('')).toBeNull();
    expect(parsePrice('350')).toBe(350);
    expect(parsePrice('350,50')).toBe(350.5);
    expect(parsePrice('1 200')).toBe(1200);
    expect(parsePrice('-1')).toBeUndefined();
    expect(parsePrice('12.345')).toBeUndefined();
  });

  it('parses telegram ids', () => {
    expect(parseTelegramId('')).toBeNull();
    expect(parseTelegramId('123456789')).toBe(123456789);
    expect(parseTelegramId('0')).toBeUndefined();
    expect(parseTelegramId('12a')).toBeUndefined();
  });
});

describe('phone', () => {
  it('strips decoration and checks 10–15 digits', () => {
    expect(normalizePhone('+38 (050) 123-45-67')).toBe('+380501234567');
    expect(isValidPhone('+38 (050) 123-45-67')).toBe(true);
    expect(isValidPhone('0501234567')).toBe(true);
    expect(isValidPhone('12345')).toBe(false);
    expect(isValidPhone('+38050123456789012')).toBe(false);
    expect(isValidPhone('phone')).toBe(false);
  });
});

describe('forms', () => {
  it('builds a service body or lists the problems', () => {
    const ok = validateService({ service_name: ' Стрижка ', duration_minutes: '45', price: '', description: ' ', hidden: true });
    expect(ok).toEqual({
      ok: true,
      value: { service_name: 'Стрижка', duration_minutes: 45, price: null, description: null, hidden: true },
    });
    const bad = validateService({ service_name: '', duration_minutes: '0', price: 'free', description: '', hidden: false });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.key)).toEqual(['valid.required', 'valid.duration', 'valid.price']);
  });

  it('checks the buffers and passes who performs the service', () => {
    const base = { service_name: 'Фарбування', duration_minutes: '120', price: '1500', description: '', hidden: false };
    expect(validateService({ ...base, buffer_before: '', buffer_after: '15', staff_ids: [3, 1, 3] })).toEqual({
      ok: true,
      value: {
        service_name: 'Фарбування',
        duration_minutes: 120,
        price: 1500,
        description: null,
        hidden: false,
        buffer_before_minutes: 0,
        buffer_after_minutes: 15,
        staff_ids: [1, 3],
      },
    });
    const bad = validateService({ ...base, buffer_before: '241', buffer_after: '-5' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual(['valid.buffer']);
  });

  // --- comeback ---
  it('checks the days after which clients are nudged to book again', () => {
    const base = { service_name: 'Стрижка', duration_minutes: '60', price: '', description: '', hidden: false };
    const ok = validateService({ ...base, rebook_after_days: ' 35 ' });
    expect(ok.ok && ok.value.rebook_after_days).toBe(35);
    const never = validateService({ ...base, rebook_after_days: '' });
    expect(never.ok && never.value.rebook_after_days).toBeNull();
    for (const bad of ['0', '731', '2.5', 'soon']) {
      const v = validateService({ ...base, rebook_after_days: bad });
      expect(v.ok ? [] : v.problems.map((p) => p.key), bad).toEqual(['valid.rebookDays']);
    }
    expect('rebook_after_days' in (validateService(base) as { value: object }).value).toBe(false);
  });

  it('normalises the client phone and optional telegram id', () => {
    expect(validateClient({ name: 'Іван', phone: '050 123 45 67', telegram_id: '' })).toEqual({
      ok: true,
      value: { name: 'Іван', phone: '0501234567', telegram_id: null },
    });
    const bad = validateClient({ name: ' ', phone: '12', telegram_id: 'x' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual(['valid.required', 'valid.phone', 'valid.telegramId']);
  });

  it('checks one slot', () => {
    expect(validateSlot({ available_date: '2026-05-01', available_time: '09:00' }).ok).toBe(true);
    const withStaff = validateSlot({ available_date: '2026-05-01', available_time: '09:00', staff_id: 2 });
    expect(withStaff.ok && withStaff.value).toEqual({ available_date: '2026-05-01', available_time: '09:00', staff_id: 2 });
    expect(validateSlot({ available_date: '2026-05-32', available_time: '9:00' }).ok).toBe(false);
  });

  it('checks the generate form', () => {
    const base = {
      date_from: '2026-05-01',
      date_to: '2026-05-14',
      weekdays: [5, 1, 1, 3],
      time_from: '09:00',
      time_to: '18:00',
      step_minutes: '30',
      use_staff_hours: false,
    };
    const { use_staff_hours: _, ...body } = base;
    const ok = validateGenerate(base);
    expect(ok.ok && ok.value).toEqual({ ...body, weekdays: [1, 3, 5], step_minutes: 30 });
    // a staff member, by their own working hours: no times sent (and bad ones not checked)
    const own = validateGenerate({ ...base, use_staff_hours: true, time_from: 'x' }, 4);
    expect(own.ok && own.value).toEqual({ staff_id: 4, date_from: '2026-05-01', date_to: '2026-05-14', step_minutes: 30 });
    const bad = validateGenerate({ ...base, date_to: '2026-04-30', weekdays: [], time_to: '08:00', step_minutes: '2' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual([
      'valid.dateOrder',
      'valid.weekdays',
      'valid.timeOrder',
      'valid.step',
    ]);
  });

  it('checks settings', () => {
    const form = {
      business_name: 'Салон',
      address: '',
      phone: '',
      hours: 'Пн–Пт 9–18',
      timezone: 'Europe/Kyiv',
      min_notice_minutes: '60',
      max_active_bookings: '3',
      booking_horizon_days: '90',
      change_window_hours: '0',
      auto_confirm: false,
      reminders: [
        { amount: '2', unit: 'hours' as const },
        { amount: '24', unit: 'hours' as const },
        { amount: '', unit: 'minutes' as const },
      ],
      thank_you: true,
      auto_cancel_enabled: false,
      auto_cancel: { amount: '3', unit: 'hours' as const },
    };
    const ok = validateSettings(form);
    expect(ok.ok && ok.value.reminder_offsets_minutes).toEqual([1440, 120]);
    expect(ok.ok && ok.value.min_notice_minutes).toBe(60);
    expect(ok.ok && ok.value.thank_you).toBe(true);
    expect(ok.ok && ok.value.booking_horizon_days).toBe(90);
    // Auto-cancel switched off goes out as null ("never"), whatever the amount says.
    expect(ok.ok && ok.value.auto_cancel_pending_minutes).toBeNull();
    const on = validateSettings({ ...form, auto_cancel_enabled: true });
    expect(on.ok && on.value.auto_cancel_pending_minutes).toBe(180);
    const bad = validateSettings({
      ...form,
      timezone: 'Kyiv',
      max_active_bookings: '0',
      reminders: [{ amount: 'soon', unit: 'minutes' }],
      auto_cancel_enabled: true,
      auto_cancel: { amount: '8', unit: 'hours' }, // valid: 480 minutes
    });
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual(['valid.timezone', 'valid.positive', 'valid.offsets']);
    const badCancel = validateSettings({ ...form, auto_cancel_enabled: true, auto_cancel: { amount: '4', unit: 'minutes' } });
    expect(badCancel.ok ? [] : badCancel.problems.map((p) => p.key)).toEqual(['valid.autoCancel']);
  });

  it('keeps the change window within 0 to 744 hours', () => {
    const form = {
      business_name: 'Салон',
      address: '',
      phone: '',
      hours: '',
      timezone: 'Europe/Kyiv',
      min_notice_minutes: '0',
      max_active_bookings: '3',
      booking_horizon_days: '365',
      change_window_hours: '0',
      auto_confirm: false,
      reminders: [],
      thank_you: false,
      auto_cancel_enabled: false,
      auto_cancel: { amount: '2', unit: 'hours' as const },
    };
    const window = (hours: string) => {
      const r = validateSettings({ ...form, change_window_hours: hours });
      return r.ok ? r.value.change_window_hours : r.problems.map((p) => p.key);
    };
    expect(window('0')).toBe(0);
    expect(window('24')).toBe(24);
    expect(window('744')).toBe(744);
    for (const bad of ['-1', '745', '1.5', '', 'доба']) expect(window(bad)).toEqual(['valid.changeWindow']);
  });

  // --- comeback ---
  it('checks the daytime hours and the rating delay', () => {
    const form = {
      business_name: 'Салон',
      address: '',
      phone: '',
      hours: '',
      timezone: 'Europe/Kyiv',
      min_notice_minutes: '60',
      max_active_bookings: '3',
      booking_horizon_days: '90',
      change_window_hours: '0',
      auto_confirm: false,
      reminders: [],
      thank_you: false,
      auto_cancel_enabled: false,
      auto_cancel: { amount: '3', unit: 'hours' as const },
    };
    const left = validateSettings(form);
    expect(left.ok && 'daytime_from' in left.value).toBe(false);
    const ok = validateSettings({ ...form, daytime_from: '09:30', daytime_to: '21:00', ask_rating: true, rating_delay_hours: '4' });
    expect(ok.ok && [ok.value.daytime_from, ok.value.daytime_to, ok.value.ask_rating, ok.value.rating_delay_hours]).toEqual([
      '09:30',
      '21:00',
      true,
      4,
    ]);
    for (const [from, to] of [
      ['20:00', '10:00'],
      ['10:00', '10:00'],
      ['9:00', '20:00'],
      ['10:00', '24:00'],
    ]) {
      const bad = validateSettings({ ...form, daytime_from: from, daytime_to: to });
      expect(bad.ok ? [] : bad.problems.map((p) => p.key), `${from}–${to}`).toEqual(['valid.daytime']);
    }
    const late = validateSettings({ ...form, rating_delay_hours: '73' });
    expect(late.ok ? [] : late.problems.map((p) => p.key)).toEqual(['valid.ratingDelay']);
  });

  it('keeps the booking horizon within 1 to 3650 days', () => {
    const form = {
      business_name: 'Салон',
      address: '',
      phone: '',
      hours: '',
      timezone: 'Europe/Kyiv',
      min_notice_minutes: '0',
      max_active_bookings: '3',
      booking_horizon_days: '1',
      change_window_hours: '0',
      auto_confirm: false,
      reminders: [],
      thank_you: false,
      auto_cancel_enabled: false,
      auto_cancel: { amount: '2', unit: 'hours' as const },
    };
    const horizon = (days: string) => {
      const r = validateSettings({ ...form, booking_horizon_days: days });
      return r.ok ? r.value.booking_horizon_days : r.problems.map((p) => p.key);
    };
    expect(horizon('1')).toBe(1);
    expect(horizon(' 3650 ')).toBe(3650);
    expect(horizon('0')).toEqual(['valid.horizon']);
    expect(horizon('3651')).toEqual(['valid.horizon']);
    expect(horizon('')).toEqual(['valid.horizon']);
    expect(horizon('1.5')).toEqual(['valid.horizon']);
  });
});

describe('a new password', () => {
  const form = { current: 'old secret', next: 'new secret 1', repeat: 'new secret 1' };
  const keys = (f: typeof form) => {
    const r = validatePassword(f);
    return r.ok ? r.value : r.problems.map((p) => p.key);
  };
  it('is sent with the current one when it is long enough and typed twice alike', () => {
    expect(keys(form)).toEqual({ current_password: 'old secret', new_password: 'new secret 1' });
  });
  it('is refused when short, mistyped, the same as before, or without the current one', () => {
    expect(keys({ ...form, next: 'short', repeat: 'short' })).toEqual(['valid.passwordShort']);
    expect(keys({ ...form, repeat: 'new secret 2' })).toEqual(['valid.passwordRepeat']);
    expect(keys({ ...form, next: 'old secret', repeat: 'old secret' })).toEqual(['valid.passwordSame']);
    expect(keys({ ...form, current: '' })).toEqual(['valid.required']);
  });
  it('counts characters, not bytes', () => {
    expect(keys({ ...form, next: 'пароль12', repeat: 'пароль12' })).toEqual({ current_password: 'old secret', new_password: 'пароль12' });
    expect(keys({ ...form, next: 'пароль1', repeat: 'пароль1' })).toEqual(['valid.passwordShort']);
  });
});
