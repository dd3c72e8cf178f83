import { useState, type ChangeEvent } from 'react';
import { clients as clientsApi } from '../api';
import type { ImportReport } from '../api/types';
import { useI18n } from '../i18n';
import { importFileProblem, parseImportReport } from '../lib/integrations';
import { describeError, showError, toastSuccess } from '../lib/notify';
import Modal from './Modal';

interface Props {
  onClose: () => void;
  /** After a real import (the list should refresh). */
  onImported: () => void;
}

/** Shown in the preview before "Show the rows that will be imported" folds the rest. */
const PREVIEW_ROWS = 200;

/**
 * Import clients from a CSV: pick a file → the server checks it without creating anything (dry run)
 * → the counts and the rejected rows with their line and reason → "Import N clients".
 */
export default function ImportClientsDialog({ onClose, onImported }: Props) {
  const { t } = useI18n();
  const [csv, setCsv] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'checking' | 'importing' | null>(null);

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setReport(null);
    setCsv(null);
    setProblem(null);
    if (!file) return;
    const p = importFileProblem(file);
    if (p) {
      setProblem(t(p === 'empty' ? 'import.empty' : 'import.tooBig'));
      return;
    }
    setBusy('checking');
    try {
      const text = await file.text();
      const r = parseImportReport(await clientsApi.importCsv(text, true));
      setCsv(text);
      setReport(r);
    } catch (err) {
      // The server's reason (no header row, not CSV, too big) belongs next to the file picker.
      setProblem(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  const runImport = async () => {
    if (csv === null) return;
    setBusy('importing');
    try {
      const r = parseImportReport(await clientsApi.importCsv(csv, false));
      toastSuccess(
        r.rejected.length
          ? t('import.doneSkipped', { n: r.created, skipped: r.rejected.length })
          : t('import.done', { n: r.created }),
      );
      onImported();
    } catch (err) {
      setBusy(null);
      await showError(err);
    }
  };

  const valid = report?.valid.length ?? 0;

  return (
    <Modal title={t('import.title')} onClose={onClose} wide>
      <div className="form import-dialog">
        <p className="muted small import-intro">{t('import.intro')}</p>
        <label className="field">
          <span>{t('import.file')}</span>
          <input
            type="file"
            name="csv"
            accept=".csv,text/csv,text/plain"
            disabled={busy !== null}
            onChange={(e) => void pick(e)}
          />
        </label>
        {busy === 'checking' && <p role="status">{t('import.checking')}</p>}
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}

        {report && (
          <div className="import-preview" role="status">
            <p className="import-counts">
              <strong className="import-valid-count">{t('import.validCount', { n: valid })}</strong>
              {report.rejected.length > 0 && (
                <span className="import-rejected-count">{t('import.rejectedCount', { n: report.rejected.length })}</span>
              )}
            </p>
            {valid === 0 && <p className="notice">{t('import.noneValid')}</p>}
            {report.rejected.length > 0 && (
              <>
                <h3>{t('import.rejectedTitle')}</h3>
                <div className="table-wrap import-table">
                  <table className="table import-rejected">
                    <thead>
                      <tr>
                        <th scope="col">{t('import.line')}</th>
                        <th scope="col">{t('import.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.rejected.map((r) => (
                        <tr key={`${r.line}-${r.error}`}>
                          <td className="nowrap">{r.line}</td>
                          <td>{r.error}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
            {valid > 0 && (
              <details className="import-valid">
                <summary>{t('import.validTitle')}</summary>
                <div className="table-wrap import-table">
                  <table className="table">
                    <thead>
                      <tr>
                        <th scope="col">{t('import.line')}</th>
                        <th scope="col">{t('clients.name')}</th>
                        <th scope="col">{t('clients.phone')}</th>
                        <th scope="col">{t('clients.telegram')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.valid.slice(0, PREVIEW_ROWS).map((r) => (
                        <tr key={r.line}>
                          <td className="nowrap">{r.line}</td>
                          <td>{r.name}</td>
                          <td className="nowrap">{r.phone}</td>
                          <td>{r.telegram_id ?? t('common.none')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            )}
            {valid > 0 && <p className="hint">{t('import.duplicatesNote')}</p>}
          </div>
        )}

        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary import-submit"
            disabled={busy !== null || valid === 0}
            onClick={() => void runImport()}
          >
            {busy === 'importing' ? t('import.importing') : t('import.submit', { n: valid })}
          </button>
        </div>
      </div>
    </Modal>
  );
}
