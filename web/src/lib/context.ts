// What every signed-in page needs: the user, the business settings (time zone) and the live mode.
import { createContext, useContext } from 'react';
import type { AuthUser, Settings } from '../api/types';
import type { LiveMode } from './live';

export interface AppContextValue {
  user: AuthUser;
  settings: Settings | null;
  /** The business time zone (settings.timezone, or Europe/Kyiv until the settings arrive). */
  timeZone: string;
  setSettings: (s: Settings) => void;
  liveMode: LiveMode;
}

export const DEFAULT_TIME_ZONE = 'Europe/Kyiv';

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside AppContext');
  return v;
}
