import { cache } from 'react';

/** When this request was rendered, the same for the layout and the page; the client clock starts from it. */
export const getRequestTime = cache((): number => Date.now());
