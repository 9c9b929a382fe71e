// RFC 9457 problem details as every HTTP endpoint of this project sends them (the service's API and
// the notification receiver mounted in it): the content type, and `type` as a URN of the failure type.
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * `type` is a URN rather than an https URL: no page is hosted per problem type, and a URN does not
 * pretend one is. Callers branch on `failureType` (or on the URN's last segment, which is the same).
 */
export const problemTypeUri = (failureType: string): string => `urn:circle-onboarding:problem:${failureType}`;
