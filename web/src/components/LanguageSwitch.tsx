import { useI18n, type MessageKey } from '../i18n';
import type { Lang } from '../lib/time';

const LANGS: { lang: Lang; label: MessageKey }[] = [
  { lang: 'uk', label: 'lang.uk' },
  { lang: 'en', label: 'lang.en' },
];

export default function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          className={l.lang === lang ? 'active' : ''}
          aria-pressed={l.lang === lang}
          lang={l.lang}
          onClick={() => setLang(l.lang)}
        >
          {t(l.label)}
        </button>
      ))}
    </div>
  );
}
