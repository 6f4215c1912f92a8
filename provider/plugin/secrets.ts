import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/**
 * The provider framework hands a provider the engine's values as plain JSON, secrets still wrapped
 * (it accepts secrets), and sends back what the provider returns as it is: secrets are wrapped and
 * unwrapped here, by hand, with the engine's own signature.
 */

export interface WrappedSecret<T> {
    readonly [specialSigKey]: typeof specialSecretSig;
    readonly value: T;
}

export function secretValue<T>(value: T): WrappedSecret<T> {
    return { [specialSigKey]: specialSecretSig, value } as WrappedSecret<T>;
}

export function isWrappedSecret(value: unknown): value is WrappedSecret<unknown> {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** `value` with every secret replaced by what it holds, and whether any was found. */
export function revealSecrets(value: unknown): { value: unknown; hadSecret: boolean } {
    let hadSecret = false;
    const walk = (v: unknown): unknown => {
        if (isWrappedSecret(v)) {
            hadSecret = true;
            return walk(v.value);
        }
        if (Array.isArray(v)) return v.map(walk);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
        return v;
    };
    return { value: walk(value), hadSecret };
}

/** Whether the engine sent a value it does not know yet (a preview of a value computed later). */
export function containsUnknown(value: unknown): boolean {
    if (value === unknownValue) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}
