export { RiskPolicyPack, policyNames, riskPolicies, type RiskPoliciesOptions } from "./riskPolicies";
export { RiskPolicyReadError } from "./errors";
export {
    type AccessCoverage,
    type AccessFinding,
    type ListLookup,
    accessApplicationType,
    accessPolicyType,
    accessViolationMessage,
    checkAccessPolicy,
    checkAccessResource,
    zeroTrustListType,
} from "./accessCoverage";
