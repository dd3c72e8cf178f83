import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { uk } from '../i18n/uk';
import { supportLine } from './support';

describe('a support thread line', () => {
  it('says who wrote it and names an answer’s author', () => {
    expect(supportLine({ direction: 'from_client', kind: 'text', author: null })).toEqual({ who: 'support.fromClient', media: null });
    expect(supportLine({ direction: 'to_client', kind: 'text', author: 'owner' }).who).toBe('support.toClientBy');
    expect(supportLine({ direction: 'to_client', kind: 'text', author: null }).who).toBe('support.toClient');
  });

  it('marks photos and voice notes, which stay in Telegram', () => {
    expect(supportLine({ direction: 'from_client', kind: 'photo', author: null }).media).toBe('support.photo');
    expect(supportLine({ direction: 'from_client', kind: 'voice', author: null }).media).toBe('support.voice');
  });

  it('has every label in both languages', () => {
    for (const key of ['support.fromClient', 'support.toClient', 'support.toClientBy', 'support.photo', 'support.voice'] as const) {
      expect(uk[key]).toBeTruthy();
      expect(en[key]).toBeTruthy();
    }
  });
});
