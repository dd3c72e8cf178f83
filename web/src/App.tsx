import { useCallback, useEffect, useMemo, useState } from 'react';
import { auth, setUnauthorizedHandler, settings as settingsApi } from './api';
import type { AuthUser, Settings } from './api/types';
import Layout from './components/Layout';
import { useI18n } from './i18n';
import { AppContext, DEFAULT_TIME_ZONE, type AppContextValue } from './lib/context';
import { startLive, useLiveRefresh, type LiveMode } from './lib/live';
import { showError } from './lib/notify';
import { useRoute } from './lib/router';
import { isValidTimeZone } from './lib/time';
import AnalyticsPage from './pages/AnalyticsPage';
import ClientsPage from './pages/ClientsPage';
import HomePage from './pages/HomePage';
import LoginPage from './pages/LoginPage';
import NotFoundPage from './pages/NotFoundPage';
import NotificationsPage from './pages/NotificationsPage';
import ServicesPage from './pages/ServicesPage';
import SettingsPage from './pages/SettingsPage';
import SimulatorPage from './pages/SimulatorPage';
import SlotsPage from './pages/SlotsPage';
import StaffPage from './pages/StaffPage';

type Session = { state: 'checking' } | { state: 'anonymous'; expired: boolean } | { state: 'signed_in'; user: AuthUser };

export default function App() {
  const { t } = useI18n();
  const route = useRoute();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [settings, setSettings] = useState<Settings | null>(null);
  const [liveMode, setLiveMode] = useState<LiveMode>('connecting');

  // Any 401 from a signed-in call ends the session.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession((s) => (s.state === 'signed_in' ? { state: 'anonymous', expired: true } : s));
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // Is there a session already?
  useEffect(() => {
    let cancelled = false;
    auth
      .me()
      .then((user) => !cancelled && setSession(user ? { state: 'signed_in', user } : { state: 'anonymous', expired: false }))
      .catch((err: unknown) => {
        if (cancelled) return;
        setSession({ state: 'anonymous', expired: false });
        void showError(err);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = session.state === 'signed_in';

  // Settings (for the time zone) and live updates while signed in.
  useEffect(() => {
    if (!signedIn) return;
    let cancelled = false;
    settingsApi
      .get()
      .then((s) => !cancelled && setSettings(s))
      .catch((err: unknown) => !cancelled && void showError(err, t('settings.loadError')));
    const stop = startLive(setLiveMode);
    return () => {
      cancelled = true;
      stop();
    };
    // Only a new sign-in reloads (t is a stable module function).
  }, [signedIn]);

  // The settings changed elsewhere (another admin): take them over.
  const reloadSettings = useCallback(() => {
    if (!signedIn) return;
    settingsApi
      .get()
      .then(setSettings)
      .catch(() => undefined); // the settings page reports its own errors; the old values stay
  }, [signedIn]);
  useLiveRefresh(['settings'], reloadSettings, 300, false);

  const logout = useCallback(async () => {
    try {
      await auth.logout();
    } catch (err) {
      await showError(err);
    }
    setSettings(null);
    setSession({ state: 'anonymous', expired: false });
  }, []);

  const context = useMemo<AppContextValue | null>(() => {
    if (session.state !== 'signed_in') return null;
    const tz = settings?.timezone && isValidTimeZone(settings.timezone) ? settings.timezone : DEFAULT_TIME_ZONE;
    return { user: session.user, settings, timeZone: tz, setSettings, liveMode };
  }, [session, settings, liveMode]);

  if (session.state === 'checking') {
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (session.state === 'anonymous' || !context) {
    return (
      <LoginPage
        expired={session.state === 'anonymous' && session.expired}
        onLogin={(user) => setSession({ state: 'signed_in', user })}
      />
    );
  }

  return (
    <AppContext.Provider value={context}>
      <Layout route={route} onLogout={logout}>
        {route === 'home' && <HomePage />}
        {route === 'services' && <ServicesPage />}
        {route === 'staff' && <StaffPage />}
        {route === 'slots' && <SlotsPage />}
        {route === 'clients' && <ClientsPage />}
        {route === 'analytics' && <AnalyticsPage />}
        {route === 'notifications' && <NotificationsPage />}
        {route === 'settings' && <SettingsPage />}
        {route === 'simulator' && <SimulatorPage />}
        {route === 'not_found' && <NotFoundPage />}
      </Layout>
    </AppContext.Provider>
  );
}
