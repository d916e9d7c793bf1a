import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getRuntime } from '@/lib/runtime';
import { authenticate, type Actor } from './actor';
import { canUseDashboard } from './permissions';

/** The signed-in user of a page request, or null. Reads the same session cookie the API accepts. */
export async function getPageActor(): Promise<Actor | null> {
  const { db, config } = getRuntime();
  const cookie = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  return authenticate({ db, secret: config.authSecret!, cookie });
}

/** For pages behind login: the actor, or a redirect to the login page that comes back to `returnTo`. */
export async function requirePageActor(returnTo = '/'): Promise<Actor> {
  const actor = await getPageActor();
  if (!actor || !canUseDashboard(actor)) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}
