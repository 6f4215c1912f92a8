import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RiskSummaryUsageError } from "../../provider/dynamic/errors";
import type { RiskSummaryArgs } from "../../provider/arguments/riskSummaryArgs";
import { type GetRiskSummaryResult, RiskSummaryResource, type RiskSummaryResourceArgs, riskSummaryResultOf } from "./riskSummaryResource";
import { validateRiskSummaryArgs } from "./validateRiskSummaryArgs";

export type { GetRiskSummaryResult };

/** Arguments of `getRiskSummary`, as plain values. */
export type GetRiskSummaryArgs = RiskSummaryArgs;

/** Arguments of `getRiskSummaryOutput`: each may be an `Input`. */
export type GetRiskSummaryOutputArgs = RiskSummaryResourceArgs;

// One resource per distinct set of arguments per program run: a second identical call reuses the first.
const summaries = new Map<string, RiskSummaryResource>();
const usedNames = new Set<string>();

function fingerprint(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

function summaryFor(args: GetRiskSummaryArgs, opts: pulumi.InvokeOutputOptions | undefined): RiskSummaryResource {
    const inputs = validateRiskSummaryArgs(args);
    const { accountId, apiToken, apiKey, email, ...settings } = inputs;
    const secretPersonalData = args.secretPersonalData !== false;
    const key = fingerprint([inputs, secretPersonalData]);
    let summary = summaries.get(key);
    if (summary === undefined) {
        // The name shows what differs (settings) without any credential in it.
        const isDefault = Object.keys(settings).length === 0 && secretPersonalData;
        const suffix = isDefault ? "" : `-${fingerprint([settings, secretPersonalData]).slice(0, 8)}`;
        const base = `risk-summary-${accountId}${suffix}`;
        // Same settings with other credentials: rare, but must not collide on the resource name.
        let name = base;
        for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`;
        usedNames.add(name);
        const emailDomains = inputs.emailDomains === undefined ? undefined : [...inputs.emailDomains];
        summary = new RiskSummaryResource(
            name,
            { ...inputs, emailDomains, secretPersonalData },
            { parent: opts?.parent, dependsOn: opts?.dependsOn },
        );
        summaries.set(key, summary);
    }
    return summary;
}

/**
 * Reads the risk summary of a Cloudflare account during `pulumi preview` and `pulumi up`.
 * Values are plain in the returned object; in the state, emails and names are secrets by default.
 */
export function getRiskSummary(args: GetRiskSummaryArgs, opts?: pulumi.InvokeOptions): Promise<GetRiskSummaryResult> {
    let result: pulumi.Output<GetRiskSummaryResult>;
    try {
        result = riskSummaryResultOf(summaryFor(args, opts));
    } catch (error) {
        return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
        // The callback returns nothing, so that the Output it makes has nothing to walk.
        result.apply((value) => {
            resolve(value);
        });
        // `isKnown` is not in the public typings; without it an unknown value would leave the promise pending forever.
        (result as unknown as { isKnown: Promise<boolean> }).isKnown.then((known) => {
            if (!known)
                reject(
                    new RiskSummaryUsageError(
                        "The risk summary is not known yet (a preview with unknown inputs); use getRiskSummaryOutput for Input arguments.",
                    ),
                );
        }, reject);
    });
}

/** Like `getRiskSummary`, with `Input` arguments and an `Output` result; secret unless `secretPersonalData: false`. */
export function getRiskSummaryOutput(
    args: GetRiskSummaryOutputArgs,
    opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRiskSummaryResult> {
    const { secretPersonalData, ...inputs } = args;
    return pulumi
        .output(inputs)
        .apply((plain) => riskSummaryResultOf(summaryFor({ ...(plain as GetRiskSummaryArgs), secretPersonalData }, opts)));
}

/** Forgets the calls made so far; for test suites that run several programs in one process. */
export function resetRiskSummaryCalls(): void {
    summaries.clear();
    usedNames.clear();
}
