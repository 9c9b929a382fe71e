// Circle's value sets, as the reference documents them: the create-client enums from the published
// OpenAPI (reference §0.1, seed 000), application and section statuses (§4.1, §6.1), RFI types (§11.1)
// and account statuses (§12.3). The simulator's own copy: it judges requests by these, not the product's.

/** `businessDetails.natureOfBusiness`: the full enum of `POST /v1/partner/clients` (50 values). */
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

/** `businessDetails.institutionType` (9 values). */
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

/** `clientType`: `business` is the only value. */
export const CLIENT_TYPES = ['business'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

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

export const SECTION_STATUSES = ['not_started', 'incomplete', 'complete', 'action_required'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

export const RFI_TYPES = ['UPDATE_FIELD', 'NEW_FIELD', 'COLLECT_DOCUMENT'] as const;
export type RfiType = (typeof RFI_TYPES)[number];

export const ACCOUNT_STATUSES = ['active', 'pending', 'rejected', 'archived'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
