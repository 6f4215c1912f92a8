/** `true` only when A and B are each assignable to the other: pins a plain interface to a zod-inferred type. */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
