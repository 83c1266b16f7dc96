/**
 * The plan's ten indicators as data. Each is a ratio over the communities it applies to: per community
 * `numerator ÷ denominator × scale`, and in total the sums' ratio — so a coverage is the share of
 * communities covered, and "organisations per community" the mean. A community missing a fact has no
 * value (null), and neither does a total without any value.
 */
import { text, type LocalizedText } from '../../contract/index.ts';

export interface CommunityFacts {
  id: string;
  name: string;
  kind: 'urban' | 'rural';
  residents: number | null;
  households: number | null;
  totalFloorAreaM2: number | null;
  serviceFacilityAreaM2: number | null;
  commercialServiceAreaM2: number | null;
  activityAreaM2: number | null;
  kiosks: number;
  communityWorkers: number;
  certifiedWorkers: number;
  socialOrganisations: number;
}

export interface IndicatorDefinition {
  id: number;
  key: string;
  name: LocalizedText;
  unit: LocalizedText;
  applies: 'urban' | 'rural' | 'all';
  base2020: number | null;
  target2025: number;
  scale: number;
  /** Numerator and denominator for one community, or null when a fact is missing. */
  ratio(f: CommunityFacts): { num: number; den: number } | null;
}

const PERCENT = text('%', '%');
const has = (value: number | null): value is number => value !== null;
const covered = (yes: boolean) => ({ num: yes ? 1 : 0, den: 1 });

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    id: 1,
    key: 'rural_service_facility_coverage',
    name: text('农村社区综合服务设施覆盖率', 'Rural community service-facility coverage'),
    unit: PERCENT,
    applies: 'rural',
    base2020: 70,
    target2025: 80,
    scale: 100,
    ratio: (f) => (has(f.serviceFacilityAreaM2) ? covered(f.serviceFacilityAreaM2 > 0) : null),
  },
  {
    id: 2,
    key: 'urban_service_facility_coverage',
    name: text('城市社区综合服务设施覆盖率', 'Urban community service-facility coverage'),
    unit: PERCENT,
    applies: 'urban',
    base2020: 100,
    target2025: 100,
    scale: 100,
    ratio: (f) => (has(f.serviceFacilityAreaM2) ? covered(f.serviceFacilityAreaM2 > 0) : null),
  },
  {
    id: 3,
    key: 'commercial_service_area_share',
    name: text('社区商业和综合服务设施面积占社区总建筑面积比例', 'Commercial and service facility area ÷ total community floor area'),
    unit: PERCENT,
    applies: 'all',
    base2020: null,
    target2025: 10,
    scale: 100,
    ratio: (f) =>
      has(f.totalFloorAreaM2) && f.totalFloorAreaM2 > 0 && has(f.serviceFacilityAreaM2) && has(f.commercialServiceAreaM2)
        ? { num: f.serviceFacilityAreaM2 + f.commercialServiceAreaM2, den: f.totalFloorAreaM2 }
        : null,
  },
  {
    id: 4,
    key: 'service_area_per_100_households',
    name: text('每百户居民拥有社区综合服务设施面积', 'Service-facility area per 100 households'),
    unit: text('平方米', 'm²'),
    applies: 'all',
    base2020: 25.4,
    target2025: 30,
    scale: 100,
    ratio: (f) => (has(f.serviceFacilityAreaM2) && has(f.households) && f.households > 0 ? { num: f.serviceFacilityAreaM2, den: f.households } : null),
  },
  {
    id: 5,
    key: 'activity_area_share',
    name: text('社区综合服务设施中居民活动用房面积占比', "Residents' activity area ÷ service-facility floor area"),
    unit: PERCENT,
    applies: 'all',
    base2020: null,
    target2025: 60,
    scale: 100,
    ratio: (f) => (has(f.activityAreaM2) && has(f.serviceFacilityAreaM2) && f.serviceFacilityAreaM2 > 0 ? { num: f.activityAreaM2, den: f.serviceFacilityAreaM2 } : null),
  },
  {
    id: 6,
    key: 'urban_kiosk_coverage',
    name: text('城市社区政务通用自助服务一体机配置率', 'Urban community self-service kiosk coverage'),
    unit: PERCENT,
    applies: 'urban',
    base2020: null,
    target2025: 100,
    scale: 100,
    ratio: (f) => covered(f.kiosks > 0),
  },
  {
    id: 7,
    key: 'workers_per_10k_urban_residents',
    name: text('每万城镇常住人口拥有社区工作者数', 'Community workers per 10,000 urban residents'),
    unit: text('人', 'people'),
    applies: 'urban',
    base2020: null,
    target2025: 18,
    scale: 10_000,
    ratio: (f) => (has(f.residents) && f.residents > 0 ? { num: f.communityWorkers, den: f.residents } : null),
  },
  {
    id: 8,
    key: 'social_organisations_per_urban_community',
    name: text('城市社区平均拥有社区社会组织数', 'Social organisations per urban community'),
    unit: text('个', 'organisations'),
    applies: 'urban',
    base2020: 5.1,
    target2025: 10,
    scale: 1,
    ratio: (f) => ({ num: f.socialOrganisations, den: 1 }),
  },
  {
    id: 9,
    key: 'social_organisations_per_rural_community',
    name: text('农村社区平均拥有社区社会组织数', 'Social organisations per rural community'),
    unit: text('个', 'organisations'),
    applies: 'rural',
    base2020: 2.2,
    target2025: 5,
    scale: 1,
    ratio: (f) => ({ num: f.socialOrganisations, den: 1 }),
  },
  {
    id: 10,
    key: 'urban_certified_social_workers_share',
    name: text('城市社区工作者中持有全国社会工作者职业资格证书比例', 'Urban community workers holding the national social-worker certificate'),
    unit: PERCENT,
    applies: 'urban',
    base2020: 11,
    target2025: 20,
    scale: 100,
    ratio: (f) => (f.communityWorkers > 0 ? { num: f.certifiedWorkers, den: f.communityWorkers } : null),
  },
];
