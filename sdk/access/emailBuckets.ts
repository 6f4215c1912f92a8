import { createHash } from "node:crypto";

/** Emails whose hashes share `prefix`, the bits that name the bucket ("" for all of them). */
export interface EmailBucket {
    readonly prefix: string;
    readonly emails: readonly string[];
}

function hashBits(email: string): string {
    return [...createHash("sha256").update(email).digest()].map((byte) => byte.toString(2).padStart(8, "0")).join("");
}

/**
 * Splits emails into buckets of at most `capacity`, by the bits of each email's SHA-256: a bucket that
 * holds too many splits in two on its next bit, and so on. The buckets depend only on the set of
 * emails, and an email always lands in the bucket its own hash names, so adding or removing one user
 * changes one bucket (or, at a bucket's capacity, splits it in two or joins two), never the others.
 * Empty buckets are left out; buckets come in prefix order, their emails sorted.
 */
export function bucketEmails(emails: readonly string[], capacity: number): EmailBucket[] {
    const hashed = [...new Set(emails)].sort().map((email) => ({ email, bits: hashBits(email) }));
    const buckets: EmailBucket[] = [];
    const split = (prefix: string, items: readonly { email: string; bits: string }[]): void => {
        if (items.length === 0) return;
        // 256 bits tell any two emails apart, so a bucket always fits before the bits run out.
        if (items.length <= capacity || prefix.length === 256) {
            buckets.push({ prefix, emails: items.map((i) => i.email) });
            return;
        }
        split(
            `${prefix}0`,
            items.filter((i) => i.bits[prefix.length] === "0"),
        );
        split(
            `${prefix}1`,
            items.filter((i) => i.bits[prefix.length] === "1"),
        );
    };
    split("", hashed);
    return buckets;
}
