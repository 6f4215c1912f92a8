import { listFirst } from "../errors/listFirst";

/**
 * `alice@example.com` → `a***@example.com`: enough for a person to recognise a colleague in a gate
 * message or a report, not enough to be a usable address in a log.
 */
export function maskEmail(email: string): string {
    const at = email.lastIndexOf("@");
    if (at <= 0) return "***";
    return `${email[0]}***${email.slice(at)}`;
}

/** Emails as a short human list: the first `limit`, then how many more. */
export function listEmails(emails: readonly string[], reveal: boolean, limit = 10): string {
    return listFirst(reveal ? emails : emails.map(maskEmail), limit);
}
