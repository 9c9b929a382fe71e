// Valid section data for any template: used by the docs, by this project's tests and by anyone who
// needs an application that reaches `complete` without hand-writing payloads.
import { CRYPTO_NATURES, type TemplateProfile } from './schema-template';

export interface ExampleOptions {
  /** Answer beneficialOwnersExist with true and include one owner (default true). */
  beneficialOwners?: boolean;
}

export function exampleApplicationData(
  profile: TemplateProfile,
  { beneficialOwners = true }: ExampleOptions = {},
): Record<string, unknown> {
  const crypto = CRYPTO_NATURES.includes(profile.natureOfBusiness);
  return {
    basicBusinessInfo: {
      legalName: 'Acme Holdings Inc.',
      registrationNumber: 'C1234567',
      incorporationDate: '2015-06-01',
      incorporationCountry: 'US',
      website: 'https://acme.example.com',
      email: 'compliance@acme.example.com',
      phoneNumber: '+14155550100',
      beneficialOwnersExist: beneficialOwners,
      ...(profile.institutionType === 'publicCo' ? { tickerSymbol: 'ACME' } : {}),
    },
    businessAddress: {
      line1: '100 Pine Street',
      line2: 'Suite 2500',
      city: 'San Francisco',
      district: 'CA',
      postalCode: '94111',
      country: 'US',
    },
    authorizedRepresentative: {
      firstName: 'Jane',
      lastName: 'Doe',
      jobTitle: 'Chief Compliance Officer',
      email: 'jane.doe@acme.example.com',
      dateOfBirth: '1980-04-12',
    },
    complianceProfile: {
      sourceOfFunds: 'operatingRevenue',
      expectedMonthlyVolumeUsd: 'from1mTo10m',
      accountPurpose: 'treasury',
      amlProgramInPlace: true,
      ...(crypto ? { cryptoLicenseNumber: 'NYDFS-VC-000123' } : {}),
    },
    ...(beneficialOwners
      ? {
          beneficialOwners: [
            {
              firstName: 'Jane',
              lastName: 'Doe',
              dateOfBirth: '1980-04-12',
              nationality: 'US',
              ownershipPercentage: 60,
            },
          ],
        }
      : {}),
  };
}
