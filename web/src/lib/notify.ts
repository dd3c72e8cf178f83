// SweetAlert2 wrappers: every action ends in a toast or a readable error dialog.
import Swal from 'sweetalert2';
import { ApiError } from '../api/client';
import { t } from '../i18n';

const Toast = Swal.mixin({
  toast: true,
  position: 'top-end',
  showConfirmButton: false,
  timer: 3000,
  timerProgressBar: true,
});

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function toastSuccess(message: string): void {
  void Toast.fire({ icon: 'success', title: message });
}

/** A neutral notice (no success tick), e.g. the bot's answer to a pressed button in the simulator. */
export function toastInfo(message: string): void {
  void Toast.fire({ icon: 'info', title: message });
}

/** The text to show for any error thrown by an API call. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message || t('error.unknown');
  if (err instanceof TypeError) return t('error.network');
  if (err instanceof Error && err.message) return err.message;
  return t('error.unknown');
}

/** Shows an error dialog; 401s are skipped (the app is already going back to the login page). */
export async function showError(err: unknown, title?: string): Promise<void> {
  if (err instanceof ApiError && err.status === 401) return;
  await Swal.fire({
    icon: 'error',
    title: title ?? t('error.title'),
    text: describeError(err),
    confirmButtonText: t('common.close'),
    confirmButtonColor: '#2f6f5e', // the panel's primary, as in the other dialogs (not SweetAlert2's purple)
  });
}

export interface ConfirmOptions {
  title: string;
  text?: string;
  confirmText?: string;
  cancelText?: string;
  danger?: boolean;
}

export async function confirmDialog(o: ConfirmOptions): Promise<boolean> {
  const r = await Swal.fire({
    icon: o.danger ? 'warning' : 'question',
    title: o.title,
    text: o.text,
    showCancelButton: true,
    confirmButtonText: o.confirmText ?? t('common.yes'),
    cancelButtonText: o.cancelText ?? t('common.cancel'),
    confirmButtonColor: o.danger ? '#c2554a' : '#2f6f5e',
    focusCancel: Boolean(o.danger),
    reverseButtons: true,
  });
  return r.isConfirmed;
}

/** Asks for an optional text; null when dismissed. */
export async function promptText(o: ConfirmOptions & { label: string; value?: string }): Promise<string | null> {
  const r = await Swal.fire({
    icon: o.danger ? 'warning' : 'question',
    title: o.title,
    text: o.text,
    input: 'text',
    inputLabel: o.label,
    inputValue: o.value ?? '',
    showCancelButton: true,
    confirmButtonText: o.confirmText ?? t('common.yes'),
    cancelButtonText: o.cancelText ?? t('common.cancel'),
    confirmButtonColor: o.danger ? '#c2554a' : '#2f6f5e',
    reverseButtons: true,
  });
  return r.isConfirmed ? String(r.value ?? '') : null;
}

/** Runs an API call, toasting its success message or showing its error. Returns the result or null. */
export async function runAction<T>(call: () => Promise<T>, successText: string | ((r: T) => string)): Promise<T | null> {
  try {
    const r = await call();
    toastSuccess(typeof successText === 'function' ? successText(r) : successText);
    return r;
  } catch (err) {
    await showError(err);
    return null;
  }
}
