import type { RiskGateMode, RiskGateRules, RiskGateViolation } from "./gate";
import type { RiskLevelEntry, RiskTrendChanges } from "./trend";

/**
 * What a trend keeps in the state between deployments. The program sends `fetchedAt` and `levels`;
 * the provider's `check` adds the comparison with the previous deployment's record, so that it is
 * known during `pulumi preview` too.
 */
export interface RiskTrendRecord {
    readonly fetchedAt: string;
    /**
     * Every user of the summary with their level, sorted by user id: one compressed string
     * (storedList.ts), or the plain list earlier versions stored.
     */
    readonly levels: string | readonly RiskLevelEntry[];
    /** When the levels compared with were read; null on the first deployment. */
    readonly previousFetchedAt?: string | null;
    /** Null on the first deployment: there is nothing to compare with. */
    readonly trend?: RiskTrendChanges | null;
    /** Broken rules reported by a gate in "warn" mode (in "enforce" mode they fail the deployment instead). */
    readonly violations?: readonly RiskGateViolation[];
}

export interface RiskGateSettings {
    /** The gate's resource name, for its messages. */
    readonly name: string;
    readonly rules: RiskGateRules;
    readonly mode: RiskGateMode;
    readonly revealEmails: boolean;
}

export interface RiskTrendResourceInputs {
    readonly accountId: string;
    readonly record: RiskTrendRecord;
    readonly gate?: RiskGateSettings;
}
