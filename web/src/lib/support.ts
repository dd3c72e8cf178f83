// --- support ---
// How one message of a client's support thread is labelled in the panel.
import type { SupportItem } from '../api/types';
import type { MessageKey } from '../i18n/uk';

export interface SupportLine {
  /** Who wrote it: the client, or the business (named when the author is known). */
  who: MessageKey;
  /** A photo or voice note (which stays in Telegram); null for text. */
  media: MessageKey | null;
}

export function supportLine(m: Pick<SupportItem, 'direction' | 'kind' | 'author'>): SupportLine {
  const who: MessageKey =
    m.direction === 'from_client' ? 'support.fromClient' : m.author ? 'support.toClientBy' : 'support.toClient';
  const media: MessageKey | null = m.kind === 'photo' ? 'support.photo' : m.kind === 'voice' ? 'support.voice' : null;
  return { who, media };
}
