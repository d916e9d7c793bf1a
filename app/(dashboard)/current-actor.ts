import { cache } from 'react';
import { requirePageActor } from '@/lib/auth/session';

/** The signed-in user for this request, read once even though the layout and the page both ask. */
export const getCurrentActor = cache(() => requirePageActor());
