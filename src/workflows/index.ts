// What the worker bundles into the workflow sandbox.
export { onboardPartnerClient } from './onboard-partner-client';
