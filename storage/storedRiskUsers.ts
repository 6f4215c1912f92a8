import type { RiskUser } from "../model/riskUser";
import { decodeStoredList, encodeStoredList } from "./storedList";

/** `users` as the provider returns them and the state keeps them (see storedList.ts). */
export function encodeStoredRiskUsers(users: readonly RiskUser[]): string {
    return encodeStoredList(users);
}

/** Users stored by `encodeStoredRiskUsers`, or as the plain list earlier versions stored. */
export function decodeStoredRiskUsers(stored: string | readonly RiskUser[]): RiskUser[] {
    return decodeStoredList(stored, "users of a RiskSummary");
}
