import { serveDemoCustomers } from '@/lib/demo-source/serve';

export const dynamic = 'force-dynamic';

/** The built-in demo upstream (generated customers); authenticated with the demo key, not a user session. */
export const GET = serveDemoCustomers;
