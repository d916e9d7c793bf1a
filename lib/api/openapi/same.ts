/**
 * `true` when each type is assignable to the other: `true satisfies Same<z.output<typeof schema>, HandlerType>`
 * stops compiling when a response schema and the type its handler returns part ways.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
