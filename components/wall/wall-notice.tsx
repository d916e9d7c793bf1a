import { BlockedIcon } from './icons';

/** What a screen sees when its display link is not (or no longer) valid. */
export function WallNotice() {
  return (
    <main data-testid="wall-invalid-link" className="dark fixed inset-0 flex items-center justify-center bg-slate-950 px-8 text-slate-100">
      <div className="max-w-3xl space-y-4 text-center">
        <BlockedIcon className="mx-auto size-20 text-red-500" />
        <h1 className="text-4xl font-bold tracking-tight">This display link does not work</h1>
        <p className="text-xl text-slate-300">It was revoked, mistyped, or is not a display token. Ask an administrator for a new wall link.</p>
        <p className="text-lg text-slate-400">
          Or{' '}
          <a className="font-semibold text-indigo-300 underline underline-offset-4" href="/login?callbackUrl=%2Fwall">
            sign in
          </a>{' '}
          to open the wall with your account.
        </p>
      </div>
    </main>
  );
}
