/** Each type is assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * `true` when each type is assignable to the other and both name the same fields (an optional field one of them
 * lacks would not stop assignability): `true satisfies Same<z.output<typeof schema>, HandlerType>` stops compiling
 * when a response schema and the type its handler returns part ways.
 */
export type Same<A, B> = Mutual<A, B> extends true ? Mutual<keyof A, keyof B> : false;
