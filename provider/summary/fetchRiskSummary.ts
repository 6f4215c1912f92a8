import type { Dispatcher } from "undici";
import { rejectUnknownArgs } from "../arguments/unknownArgs";
import { type RiskSummaryArgs, riskSummaryArgNames, validateFilters } from "../arguments/riskSummaryArgs";
import { argumentNames, environmentSource } from "../client/credentials";
import { resolveRequestSettings } from "../client/requestSettings";
import { RiskSummaryArgumentError } from "../arguments/errors";
import type { RequestLimiter } from "../client/limiter";
import { type RiskSummary } from "./riskSummary";
import { buildRiskSummary } from "./buildRiskSummary";
import { describeValue } from "../arguments/describeValue";

/** The arguments of `getRiskSummary` but `secretPersonalData`, plus how to send requests. */
export interface FetchRiskSummaryOptions extends Omit<RiskSummaryArgs, "secretPersonalData"> {
    /** undici dispatcher to send requests through (a proxy agent, or a `MockAgent` in tests). */
    readonly dispatcher?: Dispatcher;
    /**
     * Bounds requests in flight and per five minutes across calls; by default one limiter is shared by
     * every call in the process (8 at once, 1,200 per five minutes: Cloudflare's global rate limit).
     */
    readonly limiter?: RequestLimiter;
}

/**
 * Reads the account's risk summary: every page, validated, de-duplicated, filtered. Credentials come
 * from the options, then the environment. Rejects with a typed error; never with a credential in it.
 */
export async function fetchRiskSummary(options: FetchRiskSummaryOptions): Promise<RiskSummary> {
    if (options === null || typeof options !== "object") {
        throw new RiskSummaryArgumentError(
            "options",
            `expected an object, got ${describeValue(options)}`,
            "Call fetchRiskSummary({ accountId, apiToken }).",
        );
    }
    rejectUnknownArgs(options as unknown as Record<string, unknown>, [
        ...riskSummaryArgNames.filter((name) => name !== "secretPersonalData"),
        "dispatcher",
        "limiter",
    ]);
    const filters = validateFilters(options);
    const settings = resolveRequestSettings(
        options.accountId,
        options,
        [{ values: options, names: argumentNames }, environmentSource()],
        options.dispatcher,
        options.limiter,
    );
    // Loaded on the first call: a program imports the package's root, but few programs call this (the
    // page parser loads zod, which is slow to load).
    const { fetchAccountRiskUsers } = require("../client/pages") as typeof import("../client/pages");
    const { users, fetchedAt } = await fetchAccountRiskUsers(settings);
    return buildRiskSummary(settings.accountId, users, filters, fetchedAt);
}
