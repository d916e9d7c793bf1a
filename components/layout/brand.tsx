/** The product mark and name. */
export function Brand({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${large ? 'text-2xl' : 'text-base'}`}>
      <span
        aria-hidden="true"
        className={`inline-flex items-center justify-center rounded-lg bg-indigo-600 font-bold text-white shadow-sm dark:bg-indigo-500 ${large ? 'size-10 text-lg' : 'size-7 text-sm'}`}
      >
        ⇄
      </span>
      Syncdeck
    </span>
  );
}
