import type { AuthScheme } from "./credentials";

/**
 * What the local API remembers of each API request, so tests can assert how a client behaved
 * (pages fetched, retries, auth scheme). Credential values are never recorded.
 */
export interface RequestLogEntry {
    method: string;
    path: string;
    query: Record<string, string>;
    /** The page asked for (1 when absent), or null when the `page` parameter was invalid. */
    page: number | null;
    /** The status sent, or null while no response has been started (e.g. a scripted hang). */
    status: number | null;
    authScheme: AuthScheme;
}

/** Oldest entries are dropped past this, so a long-running demo server cannot grow without bound. */
export const maxRequestLogEntries = 10_000;

export class RequestLog {
    private entries: RequestLogEntry[] = [];

    add(entry: RequestLogEntry): RequestLogEntry {
        this.entries.push(entry);
        if (this.entries.length > maxRequestLogEntries) this.entries.shift();
        return entry;
    }

    /** Copies, so callers cannot edit the log. */
    snapshot(): RequestLogEntry[] {
        return this.entries.map((e) => ({ ...e, query: { ...e.query } }));
    }

    clear(): void {
        this.entries = [];
    }
}
