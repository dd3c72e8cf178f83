// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../api/types';
import { detailsContent } from './appointmentActions';

function appt(over: Partial<Appointment> = {}): Appointment {
  return {
    id: 7,
    user_id: 1,
    service_id: 2,
    staff_id: 1,
    staff: 'Оксана',
    date_id: 3,
    title: 'Олена Коваль',
    phone: '+380501112233',
    service: 'Стрижка',
    start: '2020-03-29T10:00:00',
    end: '2020-03-29T11:30:00',
    status: 1,
    status_name: 'confirmed',
    notes: '',
    source: 'bot',
    cancel_reason: null,
    cancelled_by: null,
    ...over,
  } as Appointment;
}

const labels = (root: HTMLElement) => [...root.querySelectorAll('th')].map((th) => th.textContent);
const actions = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('button[data-action]')].map((b) => b.dataset.action);

describe('detailsContent', () => {
  it('shows "Статус" once for a cancelled booking, who cancelled it on a row of its own', () => {
    const root = detailsContent(appt({ status: 3, status_name: 'cancelled', cancelled_by: 'client', cancel_reason: 'захворіла' }), 'uk', 'Europe/Kyiv');
    expect(labels(root).filter((l) => l === 'Статус')).toHaveLength(1);
    expect(labels(root)).toContain('Хто скасував');
    expect(root.textContent).toContain('Скасовано клієнтом');
  });

  it('offers "done" and "no-show" for a visit that has started, not for a future one', () => {
    expect(actions(detailsContent(appt(), 'uk', 'Europe/Kyiv'))).toEqual(['edit', 'cancel', 'complete', 'no_show']);
    const future = appt({ start: '2999-01-01T10:00:00', end: '2999-01-01T11:00:00' });
    expect(actions(detailsContent(future, 'uk', 'Europe/Kyiv'))).toEqual(['edit', 'cancel']);
  });
});
