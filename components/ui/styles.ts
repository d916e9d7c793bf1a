/** Shared class lists, so every control looks and focuses the same way. */

export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:focus-visible:outline-indigo-400';

const buttonBase = `inline-flex items-center justify-center gap-2 rounded-lg px-3.5 py-2 text-sm font-semibold transition-colors disabled:cursor-not-allowed ${focusRing}`;

export const primaryButton = `${buttonBase} bg-indigo-600 text-white shadow-sm enabled:hover:bg-indigo-500 dark:bg-indigo-500 dark:enabled:hover:bg-indigo-400 disabled:bg-slate-200 disabled:text-slate-500 disabled:shadow-none dark:disabled:bg-slate-800 dark:disabled:text-slate-400`;

export const secondaryButton = `${buttonBase} disabled:opacity-60 border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800`;

export const card = 'rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900';

export const mutedText = 'text-slate-500 dark:text-slate-400';

export const dangerButton = `${buttonBase} border border-red-300 bg-white text-red-700 enabled:hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:bg-slate-900 dark:text-red-300 dark:enabled:hover:bg-red-950/60`;

export const dangerSolidButton = `${buttonBase} bg-red-600 text-white shadow-sm enabled:hover:bg-red-500 disabled:opacity-60 dark:bg-red-600 dark:enabled:hover:bg-red-500`;

/** A borderless button for small in-line actions (remove, load more). */
export const ghostButton = `${buttonBase} px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-60 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white`;

export const textInput = `block rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs placeholder:text-slate-400 aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500 disabled:bg-slate-50 disabled:text-slate-500 dark:border-slate-700 dark:bg-slate-950 dark:disabled:bg-slate-900 dark:aria-invalid:border-red-400 dark:aria-invalid:ring-red-400 ${focusRing}`;

export const fieldLabel = 'mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300';

export const sectionTitle = 'text-sm font-semibold';

/** A small monospace tag (kinds, ids). */
export const codeTag = 'rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300';

export const tableHead = 'text-left text-xs font-medium text-slate-500 dark:text-slate-400';

export const linkText = `rounded-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300 ${focusRing}`;
