import * as pulumi from "@pulumi/pulumi";
import * as provider from "../../provider/dynamic/riskSummary";
import { secretSignature, secretSignatureKey } from "../../sdk/report/secretEnvelope";

/** Spelled out, not imported: a change of the token would orphan every deployed stack, so tests pin it. */
export const riskSummaryType = "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary";

// How the mock monitor hands a secret input over: `{ [secretSignatureKey]: secretSignature, value }`.
export { secretSignature, secretSignatureKey };

/** The shape a secret input arrives in, for exact assertions on `MockResourceArgs.inputs`. */
export function secretInput<T>(value: T): { [secretSignatureKey]: string; value: T } {
    return { [secretSignatureKey]: secretSignature, value };
}

/** The mock monitor hands secrets over wrapped; the engine unwraps them for a provider that does not accept secrets. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[secretSignatureKey] === secretSignature) return unwrapSecrets(record.value);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** The stack config as the engine hands it to a dynamic provider's `configure`. */
function stackConfig(): pulumi.dynamic.Config {
    const config = pulumi.runtime.allConfig();
    return {
        get: (key) => config[key],
        require: (key) => {
            const value = config[key];
            if (value === undefined) throw new Error(`missing required configuration variable '${key}'`);
            return value;
        },
    };
}

export interface RiskSummaryMocksOptions {
    readonly project: string;
    readonly stack?: string;
    readonly preview?: boolean;
    /** Answers every other resource; by default any other resource fails the program. */
    readonly otherResource?: (args: pulumi.runtime.MockResourceArgs) => pulumi.runtime.MockResourceResult;
}

/**
 * Mocks the engine so that RiskSummary reads are answered by the real provider implementation, configured
 * with the stack config as the engine configures the dynamic-provider process. Returns every registration,
 * in order, for assertions; empty it between cases.
 */
export function setRiskSummaryMocks(options: RiskSummaryMocksOptions): pulumi.runtime.MockResourceArgs[] {
    const registrations: pulumi.runtime.MockResourceArgs[] = [];
    pulumi.runtime.setMocks(
        {
            newResource: async (args) => {
                registrations.push(args);
                if (args.type !== riskSummaryType) {
                    if (options.otherResource === undefined) throw new Error(`unexpected resource ${args.type}`);
                    return options.otherResource(args);
                }
                if (args.id === undefined) throw new Error("RiskSummary must be read (opts.id), never created");
                await provider.configure({ config: stackConfig() });
                const { props } = await provider.read(args.id, unwrapSecrets(args.inputs) as never);
                return { id: args.id, state: props as Record<string, unknown> };
            },
            call: () => ({}),
        },
        options.project,
        options.stack ?? "dev",
        options.preview ?? true,
    );
    return registrations;
}
