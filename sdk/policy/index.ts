export { RiskPolicyPack, RiskPolicyReadError, policyNames, riskPolicies, type RiskPoliciesOptions } from "./riskPolicies";
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
