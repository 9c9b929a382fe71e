// Circle's value sets, as published for `POST /v1/partner/clients` and the onboarding API.
// Used by the workflow contract (input validation), the HTTP client and the service.

export const NATURES_OF_BUSINESS = [
  'accommodation',
  'accounting',
  'agriculture',
  'art',
  'assetManager',
  'banking',
  'brokerageOTC',
  'construction',
  'cryptoATM',
  'cryptoCustodian',
  'cryptoExchange',
  'cryptoInvesting',
  'cryptoSoftwareProvider',
  'daOrg',
  'dexAdmin',
  'eCommercePlatform',
  'education',
  'familyOffice',
  'film',
  'healthCare',
  'hedgeFund',
  'insurance',
  'manufacturingAutomobiles',
  'manufacturingElectronics',
  'manufacturingHighValueGoods',
  'manufacturingOther',
  'marketMaker',
  'marketing',
  'mining',
  'miningPool',
  'nftMarketplace',
  'nonProfit',
  'otherCryptoServices',
  'otherOperatingCompanies',
  'otherPooledInvestmentVehicles',
  'p2p',
  'paymentProcessorPlatform',
  'personalInvestment',
  'privateEquityFund',
  'privateFoundation',
  'publicCharity',
  'realEstate',
  'stakingServices',
  'tokenProject',
  'trading',
  'transportation',
  'trust',
  'utilities',
  'ventureCapitalFund',
  'web3GamingSocial',
] as const;
export type NatureOfBusiness = (typeof NATURES_OF_BUSINESS)[number];

export const INSTITUTION_TYPES = [
  'associationOrConsortium',
  'coop',
  'foundation',
  'governmentBody',
  'partnership',
  'privateCo',
  'publicCo',
  'soleTrader',
  'trust',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

export const CLIENT_TYPES = ['business'] as const;

export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'PENDING_CUSTOMER_INFORMATION',
  'APPROVED',
  'DENIED',
  'CANCELLED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** A status as Circle sends it: a known one, or one added after this version (shown and waited on). */
export type ReportedApplicationStatus = ApplicationStatus | (string & {});

export const SECTION_STATUSES = ['not_started', 'incomplete', 'complete', 'action_required'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

export const RFI_TYPES = ['UPDATE_FIELD', 'NEW_FIELD', 'COLLECT_DOCUMENT'] as const;
export type RfiType = (typeof RFI_TYPES)[number];

export const ACCOUNT_STATUSES = ['active', 'pending', 'rejected', 'archived'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
/** An account status as Circle sends it: a known one, or one added after this version (shown and waited on). */
export type ReportedAccountStatus = AccountStatus | (string & {});
