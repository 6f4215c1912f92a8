import { isDeepStrictEqual } from "node:util";

// `expect` is costly per call (it captures a stack), and property tests run 10,000 cases: plain checks
// decide, and `expect` is only called to describe a failure.
export function ensure(condition: boolean, explain: () => void): void {
    if (condition) return;
    explain();
    throw new Error("assertion failed");
}

export function expectDeepEqual(actual: unknown, expected: unknown): void {
    ensure(isDeepStrictEqual(actual, expected), () => expect(actual).toStrictEqual(expected));
}
