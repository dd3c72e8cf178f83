import { useI18n } from '../i18n';

export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="page">
      <p>{t('app.notFound')}</p>
      <a className="btn" href="#/">
        {t('app.backHome')}
      </a>
    </section>
  );
}
