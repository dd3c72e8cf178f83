// A tiny hash router: "#/services" → "services".
import { useEffect, useState } from 'react';

export const ROUTES = ['home', 'services', 'staff', 'slots', 'clients', 'analytics', 'notifications', 'settings', 'simulator'] as const;
export type Route = (typeof ROUTES)[number] | 'not_found';

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '').split(/[?/]/)[0] ?? '';
  if (path === '') return 'home';
  return (ROUTES as readonly string[]).includes(path) && path !== 'home' ? (path as Route) : 'not_found';
}

export function routeHref(route: Exclude<Route, 'not_found'>): string {
  return route === 'home' ? '#/' : `#/${route}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
