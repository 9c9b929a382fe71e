// The onboarding service: an HTTP API over the contract. See README.md.
export { buildService, type ServiceOptions } from './app';
export { hashApiKey, parseApiKeys, type ApiKey, type ApiKeyScope } from './auth';
export { buildOpenApiDocument } from './openapi-document';
export { problemTypeUri } from '../shared/problem-details';
export { ServiceProblem, type ProblemDetails } from './problems';
export { sweepUploads, type SweepResult } from './upload-sweeper';
export type { ServiceDocuments } from './context';
