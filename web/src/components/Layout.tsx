import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { useApp } from '../lib/context';
import { routeHref, type Route } from '../lib/router';
import Icon, { type IconName } from './Icon';
import LanguageSwitch from './LanguageSwitch';

const NAV: { route: Exclude<Route, 'not_found'>; label: MessageKey; icon: IconName }[] = [
  { route: 'home', label: 'nav.home', icon: 'calendar' },
  { route: 'services', label: 'nav.services', icon: 'scissors' },
  { route: 'staff', label: 'nav.staff', icon: 'person' },
  { route: 'slots', label: 'nav.slots', icon: 'clock' },
  { route: 'clients', label: 'nav.clients', icon: 'users' },
  { route: 'analytics', label: 'nav.analytics', icon: 'chart' },
  { route: 'notifications', label: 'nav.notifications', icon: 'bell' },
  { route: 'settings', label: 'nav.settings', icon: 'settings' },
  { route: 'simulator', label: 'nav.simulator', icon: 'chat' },
];

interface Props {
  route: Route;
  onLogout: () => void;
  children: ReactNode;
}

export default function Layout({ route, onLogout, children }: Props) {
  const { t } = useI18n();
  const { user, settings, liveMode } = useApp();
  const [menuOpen, setMenuOpen] = useState(false);

  const toggleRef = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);

  // Close the phone menu after navigating.
  useEffect(() => setMenuOpen(false), [route]);
  // …and on Esc (focus back on the menu button) or a tap anywhere outside it.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenuOpen(false);
      toggleRef.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node | null;
      if (target && (navRef.current?.contains(target) || toggleRef.current?.contains(target))) return;
      setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [menuOpen]);

  const current = NAV.find((n) => n.route === route);
  useEffect(() => {
    const page = current ? t(current.label) : t('app.notFound');
    document.title = `${page} · ${settings?.business_name || t('app.name')}`;
  });

  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <header className="topbar">
        <button
          ref={toggleRef}
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
          <span className="sr-only">{menuOpen ? t('app.closeMenu') : t('app.menu')}</span>
        </button>
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true">Z</span>
          <span>{settings?.business_name || t('app.name')}</span>
        </a>
        <div className="topbar-right">
          <span
            className={`live-dot live-${liveMode}`}
            title={liveMode === 'live' ? t('app.liveOn') : t('app.liveOff')}
            role="img"
            aria-label={liveMode === 'live' ? t('app.liveOn') : t('app.liveOff')}
          />
          <LanguageSwitch />
          <span className="user-name" title={t('app.signedInAs', { name: user.username })}>
            {user.username}
          </span>
          <button type="button" className="btn btn-ghost" onClick={onLogout}>
            {t('app.logout')}
          </button>
        </div>
      </header>
      <nav id="sidebar" className="sidebar" aria-label={t('app.menu')} ref={navRef}>
        <ul>
          {NAV.map((n) => (
            <li key={n.route}>
              {/* a tap on the current page closes the menu too (the route does not change) */}
              <a href={routeHref(n.route)} aria-current={n.route === route ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                <Icon name={n.icon} />
                {t(n.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
