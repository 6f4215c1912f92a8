import { createHash } from "node:crypto";
import type { AccountRequestSettings, AccountRiskUsers } from "../client/pages";

/**
 * One read per account and credential per process, whatever the filters of each caller: a provider
 * process (the dynamic provider's or the plugin's) lives for one deployment.
 */
const accountReads = new Map<string, Promise<AccountRiskUsers>>();

/** The read of `settings`' account under way or done in this process, else the one `start` begins. */
export function readAccountOnce(
    settings: AccountRequestSettings,
    start: (settings: AccountRequestSettings) => Promise<AccountRiskUsers>,
): Promise<AccountRiskUsers> {
    const key = createHash("sha256")
        .update(JSON.stringify([settings.accountId, settings.baseUrl, settings.headers]))
        .digest("hex");
    let reading = accountReads.get(key);
    if (reading === undefined) {
        reading = start(settings);
        accountReads.set(key, reading);
        // A failed read must not poison later callers of the same deployment.
        reading.catch(() => accountReads.delete(key));
    }
    return reading;
}

/** Test seam: forget every read, as a new provider process would. */
export function forgetAccountReads(): void {
    accountReads.clear();
}
