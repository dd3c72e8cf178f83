import { useCallback, useState } from 'react';
import { services as servicesApi } from '../api';
import type { Appointment, Service } from '../api/types';
import AppointmentCalendar, { type BookAt } from '../components/AppointmentCalendar';
import AppointmentForm from '../components/AppointmentForm';
import AppointmentTable from '../components/AppointmentTable';
import TodayPanel from '../components/TodayPanel';
import WaitlistPanel from '../components/WaitlistPanel';
import { useI18n } from '../i18n';
import { openAppointmentDialog } from '../lib/appointmentActions';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import { todayInZone } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import { useStaff, useStaffExceptions, useStaffHours } from '../lib/useStaff';

const NO_SERVICES: Service[] = [];

type FormState = { mode: 'closed' } | { mode: 'add'; at?: BookAt } | { mode: 'edit'; appointment: Appointment };

export default function HomePage() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [reloadKey, setReloadKey] = useState(0);
  const [form, setForm] = useState<FormState>({ mode: 'closed' });

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);

  const { data: loadedServices, reload: loadServices } = useLoad(() => servicesApi.list(), []);
  const services = loadedServices ?? NO_SERVICES;
  const { staff } = useStaff();
  const hours = useStaffHours(staff);
  const exceptions = useStaffExceptions(staff);

  useLiveRefresh(['appointment', 'slot', 'client', 'staff'], reload);
  useLiveRefresh(['service'], loadServices);

  const open = (a: Appointment) =>
    openAppointmentDialog(a, {
      lang,
      timeZone,
      onEdit: (x) => setForm({ mode: 'edit', appointment: x }),
      onChanged: reload,
    });

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('home.calendar')}</h1>
        <button type="button" className="btn btn-primary" onClick={() => setForm({ mode: 'add' })}>
          + {t('home.add')}
        </button>
      </div>
      <TodayPanel reloadKey={reloadKey} today={todayInZone(timeZone)} onOpen={open} onChanged={reload} />
      {/* --- waitlist --- */}
      <WaitlistPanel reloadKey={reloadKey} today={todayInZone(timeZone)} />
      <div className="card">
        <AppointmentCalendar
          reloadKey={reloadKey}
          staff={staff}
          hours={hours}
          exceptions={exceptions}
          onOpen={open}
          onChanged={reload}
          onBook={(at) => setForm({ mode: 'add', at })}
        />
      </div>

      <h2 className="section-title">{t('home.table')}</h2>
      <div className="card">
        <AppointmentTable
          today={todayInZone(timeZone)}
          reloadKey={reloadKey}
          services={services}
          staff={staff}
          onOpen={open}
          onEdit={(a) => setForm({ mode: 'edit', appointment: a })}
          onChanged={reload}
        />
      </div>

      {form.mode !== 'closed' && (
        <AppointmentForm
          key={form.mode === 'edit' ? `e${form.appointment.id}` : `add-${form.at?.start ?? ''}-${form.at?.staffId ?? ''}`}
          appointment={form.mode === 'edit' ? form.appointment : undefined}
          at={form.mode === 'add' ? form.at : undefined}
          services={services}
          staff={staff}
          onClose={() => setForm({ mode: 'closed' })}
          onSaved={() => {
            setForm({ mode: 'closed' });
            reload();
          }}
        />
      )}
    </section>
  );
}
