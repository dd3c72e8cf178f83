// SweetAlert2 wrappers: every action ends in a toast or a readable error dialog.
//
// Text only: SweetAlert2 renders `title`, `html` and the button texts as HTML, so every string that may
// carry user data (a client's name, a service's name, a server's text) goes in `titleText`, `text` or
// `inputLabel`, which it sets as plain text. Nothing here takes HTML.
import Swal from 'sweetalert2';
import { ApiError } from '../api/client';
import { getLang, t } from '../i18n';
import { errorText } from './errors';

const Toast = Swal.mixin({
  toast: true,
  position: 'top-end',
  showConfirmButton: false,
  timer: 3000,
  timerProgressBar: true,
});

export function toastSuccess(message: string): void {
  void Toast.fire({ icon: 'success', titleText: message });
}

/** A neutral notice (no success tick), e.g. the bot's answer to a pressed button in the simulator. */
export function toastInfo(message: string): void {
  void Toast.fire({ icon: 'info', titleText: message });
}

/** The text to show for any error thrown by an API call: translated by the server's code (lib/errors.ts). */
export function describeError(err: unknown): string {
  return errorText(err, getLang());
}

/** Shows an error dialog; 401s are skipped (the app is already going back to the login page). */
export async function showError(err: unknown, title?: string): Promise<void> {
  if (err instanceof ApiError && err.status === 401) return;
  await Swal.fire({
    icon: 'error',
    titleText: title ?? t('error.title'),
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
    titleText: o.title,
    text: o.text,
    showCancelButton: true,
    confirmButtonText: o.confirmText ?? t('common.yes'),
    cancelButtonText: o.cancelText ?? t('common.cancel'),
    confirmButtonColor: o.danger ? '#b0463b' : '#2f6f5e',
    focusCancel: Boolean(o.danger),
    reverseButtons: true,
  });
  return r.isConfirmed;
}

/** Asks for an optional text; null when dismissed. */
export async function promptText(o: ConfirmOptions & { label: string; value?: string }): Promise<string | null> {
  const r = await Swal.fire({
    icon: o.danger ? 'warning' : 'question',
    titleText: o.title,
    text: o.text,
    input: 'text',
    inputLabel: o.label,
    inputValue: o.value ?? '',
    showCancelButton: true,
    confirmButtonText: o.confirmText ?? t('common.yes'),
    cancelButtonText: o.cancelText ?? t('common.cancel'),
    confirmButtonColor: o.danger ? '#b0463b' : '#2f6f5e',
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
