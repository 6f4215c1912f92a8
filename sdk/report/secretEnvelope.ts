import { SecretPlaintextError } from "./errors";
/**
 * Pulumi's serialized secrets: `{ <sig>: <secret sig>, ciphertext }` in a plain `pulumi stack export`,
 * `{ <sig>: <secret sig>, plaintext: "<JSON text>" }` with `--show-secrets`.
 */
export const secretSignatureKey = "4dabf18193072939515e22adb298388d";
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

/** A secret still encrypted: its value is only known to whoever holds the stack's secrets provider. */
export interface EncryptedSecret {
    readonly [secretSignatureKey]: typeof secretSignature;
    readonly ciphertext: string;
}

function isSecretEnvelope(value: unknown): value is Record<string, unknown> {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        (value as Record<string, unknown>)[secretSignatureKey] === secretSignature
    );
}

export function isEncryptedSecret(value: unknown): value is EncryptedSecret {
    return isSecretEnvelope(value) && typeof value.ciphertext === "string" && !("plaintext" in value);
}

/**
 * The value with every `plaintext` envelope replaced by what it holds (at any depth, since a
 * revealed value may hold secrets of its own). Encrypted envelopes are kept, for the caller to
 * report as such.
 */
export function revealPlaintextSecrets(value: unknown, path: (string | number)[] = []): unknown {
    if (Array.isArray(value)) return value.map((v, i) => revealPlaintextSecrets(v, [...path, i]));
    if (typeof value !== "object" || value === null) return value;
    if (isSecretEnvelope(value) && typeof value.plaintext === "string") {
        let inner: unknown;
        try {
            inner = JSON.parse(value.plaintext);
        } catch {
            throw new SecretPlaintextError(path);
        }
        return revealPlaintextSecrets(inner, path);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revealPlaintextSecrets(v, [...path, k]);
    return out;
}
