import { type WireRiskUser } from "../../provider/client/schema";
import { riskLevels, type RiskLevel } from "../../provider/model/riskLevel";
import { LocalApiNotFoundError } from "./controlRoutes";
import type { LocalCloudflareApiOptions } from "./localCloudflareApi";
import { defaultEmailDomains, generateRiskDataset, withRiskLevel, type RiskDatasetOptions } from "./riskDataset";
import { applyDrift, driftUser, ScriptedDriftQueue, type ScriptedDrift } from "./scriptedDrift";

/**
 * The accounts the local API serves: each one's users as generated and as changed since (by the
 * knobs and by scripted drift), and its queued drift.
 */

export const defaultAccountId = "0123456789abcdef0123456789abcdef";
const accountIdPattern = /^[0-9a-f]{32}$/;

/** The options that say which accounts there are and what users each has. */
export type AccountOptions = Pick<LocalCloudflareApiOptions, "accountId" | "size" | "seed" | "domains" | "accounts">;

interface AccountState {
    readonly original: readonly WireRiskUser[];
    current: WireRiskUser[];
    /** The domain of the users a drift inserts: the account's first (main) email domain. */
    readonly domain: string;
    readonly drift: ScriptedDriftQueue;
    /** Users a drift inserted since the start or the last reset, so each new one is another. */
    inserted: number;
}

function checkAccountId(accountId: string): string {
    if (!accountIdPattern.test(accountId))
        throw new RangeError(`account id must be 32 lowercase hex characters, got ${JSON.stringify(accountId)}`);
    return accountId;
}

function buildAccounts(options: AccountOptions): { defaultId: string; accounts: Map<string, AccountState> } {
    const specs: [string, RiskDatasetOptions][] = options.accounts
        ? Object.entries(options.accounts)
        : [[options.accountId ?? defaultAccountId, { size: options.size, seed: options.seed, domains: options.domains }]];
    if (specs.length === 0) throw new RangeError("accounts must name at least one account");
    const accounts = new Map<string, AccountState>();
    for (const [id, spec] of specs) {
        const users = generateRiskDataset(spec);
        accounts.set(checkAccountId(id), {
            original: users,
            current: users.map((u) => ({ ...u })),
            domain: (spec.domains ?? defaultEmailDomains)[0] as string,
            drift: new ScriptedDriftQueue(),
            inserted: 0,
        });
    }
    const defaultId = options.accountId ?? (specs[0] as [string, RiskDatasetOptions])[0];
    if (!accounts.has(defaultId)) throw new RangeError(`accountId ${defaultId} is not one of accounts`);
    return { defaultId, accounts };
}

function userIndex(users: readonly WireRiskUser[], emailOrUserId: string): number {
    const wanted = emailOrUserId.toLowerCase();
    const index = users.findIndex((u) => u.user_id === emailOrUserId || u.email.toLowerCase() === wanted);
    if (index < 0) throw new LocalApiNotFoundError(`unknown user ${emailOrUserId}`);
    return index;
}

/** A user no one has seen in this account: not in its current list, its original one, nor inserted before. */
function newUser(into: AccountState, level: RiskLevel): WireRiskUser {
    const taken = (u: WireRiskUser): boolean =>
        [into.current, into.original].some((list) =>
            list.some((v) => v.user_id === u.user_id || v.email.toLowerCase() === u.email.toLowerCase()),
        );
    for (;;) {
        into.inserted += 1;
        const user = driftUser(into.inserted, into.domain, level);
        if (!taken(user)) return user;
    }
}

/**
 * The accounts' datasets. Methods taking an optional `accountId` mean the default account without
 * one, and throw `LocalApiNotFoundError` for an unknown account or user. `changed` is called after
 * every change of a dataset (so that cached pages can be dropped).
 */
export class LocalAccounts {
    readonly defaultId: string;
    private readonly accounts: Map<string, AccountState>;

    constructor(
        options: AccountOptions,
        private readonly changed: () => void,
    ) {
        ({ defaultId: this.defaultId, accounts: this.accounts } = buildAccounts(options));
    }

    get ids(): string[] {
        return [...this.accounts.keys()];
    }

    private account(accountId: string | undefined): AccountState {
        const state = this.accounts.get(accountId ?? this.defaultId);
        if (!state) throw new LocalApiNotFoundError(`unknown account ${accountId}`);
        return state;
    }

    /** The account's current users themselves (not a copy), in the order the API pages them; undefined for an unknown account. */
    find(accountId: string): readonly WireRiskUser[] | undefined {
        return this.accounts.get(accountId)?.current;
    }

    /** The account's current users themselves (not a copy). */
    current(accountId?: string): readonly WireRiskUser[] {
        return this.account(accountId).current;
    }

    /** Copy of an account's current users. */
    users(accountId?: string): WireRiskUser[] {
        return this.account(accountId).current.map((u) => ({ ...u }));
    }

    setUserLevel(emailOrUserId: string, level: RiskLevel, accountId?: string): WireRiskUser {
        if (!riskLevels.includes(level)) throw new RangeError(`level must be one of ${riskLevels.join(", ")}, got ${level}`);
        const users = this.account(accountId).current;
        const index = userIndex(users, emailOrUserId);
        const updated = withRiskLevel(users[index] as WireRiskUser, level);
        users[index] = updated;
        this.changed();
        return { ...updated };
    }

    addUser(user: WireRiskUser, accountId?: string): void {
        const users = this.account(accountId).current;
        if (users.some((u) => u.user_id === user.user_id)) throw new RangeError(`user ${user.user_id} already exists`);
        users.push({ ...user });
        this.changed();
    }

    removeUser(emailOrUserId: string, accountId?: string): WireRiskUser {
        const users = this.account(accountId).current;
        const removed = users.splice(userIndex(users, emailOrUserId), 1)[0] as WireRiskUser;
        this.changed();
        return removed;
    }

    /** Throws a `ZodError` for an invalid step (none is queued then). */
    driftNext(steps: ScriptedDrift[], accountId?: string): void {
        this.account(accountId).drift.push(steps);
    }

    /** Applies the account's next drift step, if any: called once a request of it was answered normally. */
    applyNextDrift(accountId: string | undefined): void {
        const served = this.account(accountId);
        const step = served.drift.take();
        if (step !== undefined && applyDrift(served.current, step, (level) => newUser(served, level))) this.changed();
    }

    /** Back to the generated datasets, with no queued drift. */
    reset(): void {
        for (const s of this.accounts.values()) {
            s.current = s.original.map((u) => ({ ...u }));
            s.drift.clear();
            s.inserted = 0;
        }
        this.changed();
    }
}
