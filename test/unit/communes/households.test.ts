import { describe, expect, it } from 'vitest';
import { estimateHouseholds, provinceKey, NATIONAL_HOUSEHOLD_SIZE_2019 } from '../../../server/communes/import/households';

describe('estimateHouseholds', () => {
  const census = [
    { formerProvince: 'PhúThọ', population: 4000, households: 1000, newCode: '00001' },
    { formerProvince: 'PhúThọ', population: 3000, households: 1000, newCode: null },
    { formerProvince: 'HoàBình', population: 3900, households: 1000, newCode: null },
  ];
  const links = [
    { newCode: '00001', formerProvince: 'Tỉnh Phú Thọ' },
    { newCode: '00002', formerProvince: 'Tỉnh Phú Thọ' },
    { newCode: '00003', formerProvince: 'Tỉnh Hòa Bình' },
    { newCode: '00003', formerProvince: 'Tỉnh Hòa Bình' },
    { newCode: '00003', formerProvince: 'Tỉnh Phú Thọ' },
  ];

  it('uses matched former communes, then the former province, then the national average', () => {
    const got = estimateHouseholds(
      [{ code: '00001', population: 8000 }, { code: '00002', population: 7000 }, { code: '00003', population: 7800 }, { code: '00004', population: 700 }],
      census, links,
    );
    expect(got.get('00001')).toEqual({ households: 2000, householdSize: 4, method: 'census2019-communes' });
    expect(got.get('00002')).toEqual({ households: 2000, householdSize: 3.5, method: 'census2019-province' });
    expect(got.get('00003')).toEqual({ households: 2000, householdSize: 3.9, method: 'census2019-province' });
    expect(got.get('00004')).toEqual({ households: 200, householdSize: NATIONAL_HOUSEHOLD_SIZE_2019, method: 'national-average-2019' });
  });

  it('keeps households unknown when population is', () => {
    expect(estimateHouseholds([{ code: '00001', population: null }], census, links).get('00001')?.households).toBeNull();
  });

  it('matches province names across spellings', () => {
    expect(provinceKey('Tỉnh Hòa Bình')).toBe(provinceKey('HoàBình'));
    expect(provinceKey('Vĩnh Phúc')).toBe('vinhphuc');
  });
});
