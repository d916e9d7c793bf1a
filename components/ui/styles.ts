/** Shared class lists, so every control looks and focuses the same way. */

export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:focus-visible:outline-indigo-400';

const buttonBase = `inline-flex items-center justify-center gap-2 rounded-lg px-3.5 py-2 text-sm font-semibold transition-colors disabled:cursor-not-allowed ${focusRing}`;

export const primaryButton = `${buttonBase} bg-indigo-600 text-white shadow-sm enabled:hover:bg-indigo-500 dark:bg-indigo-500 dark:enabled:hover:bg-indigo-400 disabled:bg-slate-200 disabled:text-slate-500 disabled:shadow-none dark:disabled:bg-slate-800 dark:disabled:text-slate-400`;

export const secondaryButton = `${buttonBase} disabled:opacity-60 border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800`;

export const card = 'rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900';

export const mutedText = 'text-slate-500 dark:text-slate-400';
