import type { z } from "zod";
import { RiskSummaryArgumentError } from "./errors";
import { defaultBaseUrl } from "./defaults";
import { describeValue } from "./describeValue";
import { type RiskLevel, riskLevels } from "../model/riskLevel";

/** Throws the error of a bad argument: its name, why, and what to do. */
export function failArgument(argument: string, reason: string, fix: string): never {
    throw new RiskSummaryArgumentError(argument, reason, fix);
}

const accountIdPattern = /^[0-9a-f]{32}$/i;

export function validateAccountId(value: unknown, argument = "accountId"): string {
    if (typeof value !== "string" || !accountIdPattern.test(value)) {
        failArgument(
            argument,
            `expected a Cloudflare account id (32 hexadecimal characters), got ${describeValue(value)}`,
            "Copy the account id from the Cloudflare dashboard (Account home, or the URL after dash.cloudflare.com/).",
        );
    }
    return value.toLowerCase();
}

export function validateMinRiskLevel(value: unknown): RiskLevel | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !(riskLevels as readonly string[]).includes(value)) {
        const shown = typeof value === "string" && value.length <= 20 && /^[\w-]*$/.test(value) ? `"${value}"` : describeValue(value);
        failArgument(
            "minRiskLevel",
            `expected one of ${riskLevels.map((l) => `"${l}"`).join(", ")}, got ${shown}`,
            "Use a Cloudflare risk level.",
        );
    }
    return value as RiskLevel;
}

// Made on first use: a program loads these checks, but zod only when it passes a date (zod is slow to load).
let isoInstantSchema: z.ZodType | undefined;
function isoInstant(): z.ZodType {
    if (isoInstantSchema === undefined) {
        const { z: zod } = require("zod") as typeof import("zod");
        isoInstantSchema = zod.union([zod.iso.datetime({ offset: true }), zod.iso.date()]);
    }
    return isoInstantSchema;
}

export function validateLastEventSince(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (!isoInstant().safeParse(value).success) {
        failArgument(
            "lastEventSince",
            `expected an ISO 8601 date-time such as "2026-01-31T00:00:00Z" or a date such as "2026-01-31", got ${describeValue(value)}`,
            "Pass an RFC 3339 timestamp with a time zone (Z or ±hh:mm).",
        );
    }
    return new Date(Date.parse(value as string)).toISOString();
}

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function validateEmailDomains(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0) {
        failArgument(
            "emailDomains",
            `expected a non-empty array of domain names, got ${describeValue(value)}`,
            'Pass e.g. ["example.com"], or leave it out to keep every domain.',
        );
    }
    const domains = value.map((d, i) => {
        if (typeof d !== "string" || !domainPattern.test(d)) {
            failArgument(
                `emailDomains[${i}]`,
                `expected a domain name such as "example.com", got ${describeValue(d)}`,
                "Pass the part of the email after the @, without wildcards.",
            );
        }
        return d.toLowerCase();
    });
    return [...new Set(domains)].sort();
}

function isLoopback(hostname: string): boolean {
    return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function validateBaseUrl(value: unknown, argument = "baseUrl"): string {
    let url: URL | undefined;
    try {
        url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
        url = undefined;
    }
    if (url === undefined) {
        failArgument(argument, `expected an absolute URL, got ${describeValue(value)}`, `Use ${defaultBaseUrl}, or leave it unset.`);
    }
    if (url.username || url.password || url.search || url.hash) {
        failArgument(
            argument,
            "the URL must not carry credentials, a query or a fragment",
            "Pass credentials as apiToken (or apiKey and email), not in the URL.",
        );
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
        failArgument(
            argument,
            `plain ${url.protocol.replace(":", "")} is only allowed to a loopback address`,
            "Use an https:// URL; http:// is accepted for 127.0.0.1, localhost and [::1] only.",
        );
    }
    return url.toString().replace(/\/+$/, "");
}

/** A boolean argument: true, false or unset. */
export function validateBoolean(value: unknown, argument: string, fix: string): boolean | undefined {
    if (value === undefined || typeof value === "boolean") return value;
    failArgument(argument, `expected true or false, got ${describeValue(value)}`, fix);
}

export function validateInteger(value: unknown, argument: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        const shown = typeof value === "number" ? String(value) : describeValue(value);
        failArgument(argument, `expected an integer from ${min} to ${max}, got ${shown}`, "Leave it unset to use the default.");
    }
    return value;
}

/** Header values go on the wire verbatim: refuse anything that could split or smuggle a header. */
export function validateHeaderValue(value: unknown, argument: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.trim() === "" || /[\u0000-\u001f\u007f\s]/.test(value) || value.length > 4096) {
        failArgument(
            argument,
            `expected a non-empty string without whitespace or control characters, got ${describeValue(value)}`,
            "Copy the value again from the Cloudflare dashboard.",
        );
    }
    return value;
}
