import * as pulumi from "@pulumi/pulumi";
import {
    type RiskGateMode,
    type RiskGateRules,
    type RiskGateViolation,
    validateRevealEmails,
    validateRiskGateMode,
    validateRiskGateRules,
} from "../../provider/baseline/gate";
import { RiskBaselineResource, type RiskTrendArgs } from "./riskTrend";

export interface RiskGateArgs extends RiskTrendArgs {
    /** What the deployment must not go ahead with; see `RiskGateRules`. */
    rules: RiskGateRules;
    /** `enforce` (default) fails `pulumi preview` and `pulumi up`; `warn` reports and goes on. */
    mode?: RiskGateMode;
    /** Show offenders' emails in messages; by default they are masked (`a***@example.com`). */
    revealEmails?: boolean;
}

/**
 * A deployment gate on risk levels. In `enforce` mode a broken rule fails the preview or update with
 * a message naming the rule and the offenders; make the resources it guards depend on it
 * (`dependsOn: [gate]`) so that none of them is touched. It also tracks the trend, like `RiskTrend`.
 */
export class RiskGate extends RiskBaselineResource {
    /** Rules broken in `warn` mode (always empty in `enforce` mode, which fails instead). */
    readonly violations: pulumi.Output<RiskGateViolation[]>;

    constructor(name: string, args: RiskGateArgs, opts?: pulumi.CustomResourceOptions) {
        const rules = validateRiskGateRules(args?.rules);
        const mode = validateRiskGateMode(args.mode);
        const revealEmails = validateRevealEmails(args.revealEmails);
        super("RiskGate", name, args, { name, rules, mode, revealEmails }, opts);
        const violations = this.record.apply((r) => [...(r.violations ?? [])]);
        // Masked messages are safe to show; revealed ones stay as secret as the rest of the record.
        this.violations = revealEmails ? violations : pulumi.unsecret(violations);
        if (mode === "warn") {
            violations.apply((found) => {
                if (found.length > 0) {
                    pulumi.log.warn(
                        `Risk gate "${name}" (warn mode) found ${found.length} broken rule${found.length === 1 ? "" : "s"}:\n${found.map((v) => `  - ${v.message}`).join("\n")}`,
                        this,
                    );
                }
            });
        }
    }
}
