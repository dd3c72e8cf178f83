import { useState } from 'react';
import { calendarFeed } from '../api';
import type { CalendarFeedState } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { calendarFeedUrl } from '../lib/integrations';
import { confirmDialog } from '../lib/notify';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import { formatApiTime } from '../lib/time';
import CopyField from './CopyField';

/** Settings: the secret iCalendar link (create, replace, revoke); its address is shown only once. */
export default function CalendarFeedSection() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const { data: state, setData: setState } = useLoad(() => calendarFeed.get(), []);
  /** The full address, only right after it was made (the server never shows it again). */
  const [url, setUrl] = useState<string | null>(null);
  const { busy, run } = useSubmit();

  const create = async () => {
    if (state?.enabled) {
      const ok = await confirmDialog({ title: t('feed.renewTitle'), text: t('feed.renewText'), confirmText: t('feed.renew'), danger: true });
      if (!ok) return;
    }
    const r = await run(async () => {
      const made = await calendarFeed.create();
      return { made, state: await calendarFeed.get().catch((): CalendarFeedState => ({ enabled: true, created_at: null })) };
    }, t('feed.created'));
    if (r) {
      setUrl(calendarFeedUrl(window.location.origin, r.made.path));
      setState(r.state);
    }
  };

  const revoke = async () => {
    const ok = await confirmDialog({ title: t('feed.revokeTitle'), text: t('feed.revokeText'), confirmText: t('feed.revoke'), danger: true });
    if (!ok) return;
    if (await run(() => calendarFeed.revoke(), t('feed.revoked'))) {
      setUrl(null);
      setState({ enabled: false, created_at: null });
    }
  };

  return (
    <section className="card integration calendar-feed" aria-labelledby="feed-title">
      <h2 id="feed-title" className="card-title">
        {t('feed.title')}
      </h2>
      <p className="plain-line">{t('feed.plain')}</p>
      <p className="small">{t('feed.intro')}</p>
      <p className="muted small">{t('feed.secretNote')}</p>
      {state === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          {url ? (
            <div className="once-box">
              <CopyField label={t('feed.url')} value={url} name="feed-url" />
              <p className="hint">{t('feed.onceNote')}</p>
            </div>
          ) : (
            <p className="feed-state" role="status">
              {state.enabled
                ? t('feed.on', { date: state.created_at ? formatApiTime(state.created_at, lang, timeZone) : t('common.none') })
                : t('feed.off')}
            </p>
          )}
          <div className="form-actions form-actions-start">
            <button type="button" className="btn btn-primary feed-create" disabled={busy} onClick={() => void create()}>
              {state.enabled ? t('feed.renew') : t('feed.create')}
            </button>
            {state.enabled && (
              <button type="button" className="btn btn-danger feed-revoke" disabled={busy} onClick={() => void revoke()}>
                {t('feed.revoke')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
