// Province-level codes of GB/T 2260 (the first two digits of an administrative division code).
// Only the province level is checked: county codes change every year (districts merge, counties
// become districts) and an ID number keeps the code that was valid when it was assigned, so a
// county table would need its full history to avoid rejecting real people.

/** The 31 province-level divisions of the mainland, where resident ID numbers are assigned. */
export const mainlandProvinces: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
};

export const mainlandProvinceCodes: ReadonlySet<string> = new Set(Object.keys(mainlandProvinces));

/**
 * GB/T 2260 also lists 71 台湾省, 81 香港 and 82 澳门, but no resident ID number is assigned
 * under them. 810000 / 820000, and 830000 for Taiwan residents (a code outside GB/T 2260), appear
 * only in the numbers of residence permits for Hong Kong, Macao and Taiwan residents
 * (港澳台居民居住证), which follow the resident ID number's 18-character rules.
 */
export const residencePermitAddressCodes: ReadonlySet<string> = new Set([
  '810000',
  '820000',
  '830000',
]);

/** True when the two leading digits name a mainland province-level division. */
export function isMainlandProvinceCode(code: string): boolean {
  return mainlandProvinceCodes.has(code.slice(0, 2));
}
