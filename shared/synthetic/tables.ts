// Small built-in tables the synthetic generator draws from: surnames with their frequencies,
// given-name characters, minority names, cities with real GB/T 2260 district codes, area codes
// and postcodes. Readings are the surname readings (单 Shan, 曾 Zeng …), not the common ones.
// The zh_CN locale's own entry, not the package's: that one loads every locale, ~0.2 s of each
// start of HQ's console (whose seed draws from these tables).
import { faker } from '@faker-js/faker/locale/zh_CN';
import { type WeightedTable, weighted } from './random';
import type { ConsentPurpose } from '../customer/records';

/** A name part and its pinyin (no tones), e.g. `['欧阳', 'ouyang']`. */
export type NamePart = readonly [text: string, pinyin: string];

/**
 * Surnames weighted per 10,000 people, roughly as the 2020 census reports the common ones, plus
 * polyphonic and compound surnames at low weights so that every record set contains some.
 */
export const surnames: WeightedTable<NamePart> = weighted<NamePart>([
  [['王', 'wang'], 712],
  [['李', 'li'], 700],
  [['张', 'zhang'], 674],
  [['刘', 'liu'], 510],
  [['陈', 'chen'], 461],
  [['杨', 'yang'], 322],
  [['黄', 'huang'], 245],
  [['赵', 'zhao'], 229],
  [['吴', 'wu'], 205],
  [['周', 'zhou'], 200],
  [['徐', 'xu'], 167],
  [['孙', 'sun'], 154],
  [['马', 'ma'], 146],
  [['朱', 'zhu'], 137],
  [['胡', 'hu'], 129],
  [['郭', 'guo'], 116],
  [['何', 'he'], 113],
  [['林', 'lin'], 110],
  [['罗', 'luo'], 101],
  [['高', 'gao'], 100],
  [['郑', 'zheng'], 95],
  [['梁', 'liang'], 93],
  [['谢', 'xie'], 86],
  [['宋', 'song'], 80],
  [['唐', 'tang'], 79],
  [['许', 'xu'], 73],
  [['韩', 'han'], 72],
  [['冯', 'feng'], 70],
  [['邓', 'deng'], 69],
  [['曹', 'cao'], 68],
  [['彭', 'peng'], 65],
  [['曾', 'zeng'], 64],
  [['肖', 'xiao'], 63],
  [['田', 'tian'], 61],
  [['董', 'dong'], 60],
  [['袁', 'yuan'], 57],
  [['潘', 'pan'], 56],
  [['于', 'yu'], 55],
  [['蒋', 'jiang'], 54],
  [['蔡', 'cai'], 53],
  [['余', 'yu'], 52],
  [['杜', 'du'], 51],
  [['叶', 'ye'], 50],
  [['程', 'cheng'], 49],
  [['苏', 'su'], 48],
  [['魏', 'wei'], 47],
  [['吕', 'lyu'], 46],
  [['丁', 'ding'], 45],
  [['任', 'ren'], 44],
  [['沈', 'shen'], 43],
  [['姚', 'yao'], 42],
  [['卢', 'lu'], 41],
  [['姜', 'jiang'], 40],
  [['崔', 'cui'], 39],
  [['钟', 'zhong'], 38],
  [['谭', 'tan'], 37],
  [['陆', 'lu'], 36],
  [['汪', 'wang'], 35],
  [['范', 'fan'], 34],
  [['金', 'jin'], 33],
  [['石', 'shi'], 32],
  [['廖', 'liao'], 31],
  [['贾', 'jia'], 30],
  [['夏', 'xia'], 29],
  [['韦', 'wei'], 28],
  [['付', 'fu'], 27],
  [['方', 'fang'], 26],
  [['白', 'bai'], 25],
  [['邹', 'zou'], 24],
  [['孟', 'meng'], 23],
  [['熊', 'xiong'], 22],
  [['秦', 'qin'], 21],
  [['邱', 'qiu'], 20],
  // Polyphonic surnames.
  [['覃', 'qin'], 4],
  [['单', 'shan'], 3],
  [['朴', 'piao'], 3],
  [['解', 'xie'], 2],
  [['仇', 'qiu'], 2],
  [['查', 'zha'], 2],
  [['区', 'ou'], 1],
  // Compound surnames.
  [['欧阳', 'ouyang'], 3],
  [['上官', 'shangguan'], 1],
  [['司马', 'sima'], 1],
  [['诸葛', 'zhuge'], 1],
  [['东方', 'dongfang'], 1],
  [['尉迟', 'yuchi'], 1],
]);

// Given-name characters chosen for having one reading in names.
export const maleGivenCharacters: readonly NamePart[] = [
  ['伟', 'wei'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['刚', 'gang'],
  ['平', 'ping'],
  ['辉', 'hui'],
  ['鹏', 'peng'],
  ['华', 'hua'],
  ['飞', 'fei'],
  ['鑫', 'xin'],
  ['波', 'bo'],
  ['斌', 'bin'],
  ['宇', 'yu'],
  ['浩', 'hao'],
  ['凯', 'kai'],
  ['健', 'jian'],
  ['俊', 'jun'],
  ['帆', 'fan'],
  ['帅', 'shuai'],
  ['旭', 'xu'],
  ['宁', 'ning'],
  ['龙', 'long'],
  ['林', 'lin'],
  ['阳', 'yang'],
  ['建', 'jian'],
  ['国', 'guo'],
  ['志', 'zhi'],
  ['文', 'wen'],
  ['海', 'hai'],
  ['东', 'dong'],
  ['峰', 'feng'],
  ['子', 'zi'],
  ['博', 'bo'],
  ['晨', 'chen'],
  ['昊', 'hao'],
  ['然', 'ran'],
  ['轩', 'xuan'],
  ['泽', 'ze'],
  ['睿', 'rui'],
  ['成', 'cheng'],
  ['永', 'yong'],
  ['福', 'fu'],
];

export const femaleGivenCharacters: readonly NamePart[] = [
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['艳', 'yan'],
  ['娟', 'juan'],
  ['霞', 'xia'],
  ['秀', 'xiu'],
  ['英', 'ying'],
  ['玲', 'ling'],
  ['婷', 'ting'],
  ['雪', 'xue'],
  ['慧', 'hui'],
  ['琳', 'lin'],
  ['颖', 'ying'],
  ['洁', 'jie'],
  ['燕', 'yan'],
  ['红', 'hong'],
  ['梅', 'mei'],
  ['欣', 'xin'],
  ['怡', 'yi'],
  ['佳', 'jia'],
  ['晶', 'jing'],
  ['倩', 'qian'],
  ['萍', 'ping'],
  ['思', 'si'],
  ['雨', 'yu'],
  ['诗', 'shi'],
  ['涵', 'han'],
  ['悦', 'yue'],
  ['梓', 'zi'],
  ['可', 'ke'],
  ['馨', 'xin'],
  ['月', 'yue'],
  ['云', 'yun'],
];

/** Characters outside the BMP that do occur in names (𠮷 U+20BB7, 𪚥 U+2A6A5). */
export const rareGivenCharacters: readonly NamePart[] = [
  ['𠮷', 'ji'],
  ['𪚥', 'zhe'],
];

/** Uyghur personal names, written `given·father` with U+00B7 in Chinese documents. */
export const uyghurMaleNames: readonly string[] = [
  '买买提',
  '艾力',
  '阿不都热合曼',
  '吐尔逊',
  '努尔买买提',
  '艾合买提',
  '依明',
  '卡德尔',
];
export const uyghurFemaleNames: readonly string[] = [
  '阿依古丽',
  '古丽娜尔',
  '热依拉',
  '帕提古丽',
  '迪丽娜尔',
  '米热古丽',
];

export interface District {
  readonly code: string;
  readonly name: string;
}

export interface City {
  readonly provinceCode: string;
  readonly code: string;
  readonly name: string;
  /** Long-distance code without the trunk 0 (`10` Beijing, `755` Shenzhen). */
  readonly areaCode: string;
  /** First three digits of the city's postcodes. */
  readonly postcodePrefix: string;
  /** A few districts; a city without districts (东莞) lists itself. */
  readonly districts: readonly District[];
  /** Relative share of customers. */
  readonly weight: number;
}

function city(
  code: string,
  name: string,
  areaCode: string,
  postcodePrefix: string,
  weight: number,
  districts: readonly (readonly [string, string])[],
): City {
  return {
    provinceCode: `${code.slice(0, 2)}0000`,
    code,
    name,
    areaCode,
    postcodePrefix,
    weight,
    districts: districts.map(([districtCode, districtName]) => ({
      code: districtCode,
      name: districtName,
    })),
  };
}

/** One to three cities of every mainland province, each with real district codes. */
export const cityList: readonly City[] = [
  city('110100', '北京市', '10', '100', 8, [
    ['110101', '东城区'],
    ['110102', '西城区'],
    ['110105', '朝阳区'],
    ['110106', '丰台区'],
    ['110108', '海淀区'],
  ]),
  city('120100', '天津市', '22', '300', 4, [
    ['120101', '和平区'],
    ['120102', '河东区'],
    ['120103', '河西区'],
    ['120104', '南开区'],
  ]),
  city('130100', '石家庄市', '311', '050', 3, [
    ['130102', '长安区'],
    ['130104', '桥西区'],
    ['130105', '新华区'],
  ]),
  city('130200', '唐山市', '315', '063', 2, [
    ['130202', '路南区'],
    ['130203', '路北区'],
  ]),
  city('140100', '太原市', '351', '030', 3, [
    ['140105', '小店区'],
    ['140106', '迎泽区'],
    ['140107', '杏花岭区'],
  ]),
  city('150100', '呼和浩特市', '471', '010', 2, [
    ['150102', '新城区'],
    ['150103', '回民区'],
    ['150104', '玉泉区'],
  ]),
  city('210100', '沈阳市', '24', '110', 3, [
    ['210102', '和平区'],
    ['210103', '沈河区'],
    ['210104', '大东区'],
  ]),
  city('210200', '大连市', '411', '116', 2, [
    ['210202', '中山区'],
    ['210203', '西岗区'],
    ['210204', '沙河口区'],
  ]),
  city('220100', '长春市', '431', '130', 3, [
    ['220102', '南关区'],
    ['220103', '宽城区'],
    ['220104', '朝阳区'],
  ]),
  city('230100', '哈尔滨市', '451', '150', 3, [
    ['230102', '道里区'],
    ['230103', '南岗区'],
    ['230104', '道外区'],
  ]),
  city('310100', '上海市', '21', '200', 8, [
    ['310101', '黄浦区'],
    ['310104', '徐汇区'],
    ['310105', '长宁区'],
    ['310106', '静安区'],
    ['310115', '浦东新区'],
  ]),
  city('320100', '南京市', '25', '210', 4, [
    ['320102', '玄武区'],
    ['320104', '秦淮区'],
    ['320105', '建邺区'],
  ]),
  city('320500', '苏州市', '512', '215', 4, [
    ['320505', '虎丘区'],
    ['320506', '吴中区'],
    ['320508', '姑苏区'],
  ]),
  city('330100', '杭州市', '571', '310', 5, [
    ['330102', '上城区'],
    ['330105', '拱墅区'],
    ['330106', '西湖区'],
    ['330108', '滨江区'],
  ]),
  city('330200', '宁波市', '574', '315', 3, [
    ['330203', '海曙区'],
    ['330212', '鄞州区'],
  ]),
  city('340100', '合肥市', '551', '230', 3, [
    ['340102', '瑶海区'],
    ['340103', '庐阳区'],
    ['340104', '蜀山区'],
  ]),
  city('350100', '福州市', '591', '350', 3, [
    ['350102', '鼓楼区'],
    ['350103', '台江区'],
    ['350104', '仓山区'],
  ]),
  city('350200', '厦门市', '592', '361', 2, [
    ['350203', '思明区'],
    ['350206', '湖里区'],
  ]),
  city('360100', '南昌市', '791', '330', 3, [
    ['360102', '东湖区'],
    ['360103', '西湖区'],
    ['360104', '青云谱区'],
  ]),
  city('370100', '济南市', '531', '250', 3, [
    ['370102', '历下区'],
    ['370103', '市中区'],
    ['370104', '槐荫区'],
  ]),
  city('370200', '青岛市', '532', '266', 3, [
    ['370202', '市南区'],
    ['370203', '市北区'],
  ]),
  city('410100', '郑州市', '371', '450', 4, [
    ['410102', '中原区'],
    ['410103', '二七区'],
    ['410105', '金水区'],
  ]),
  city('420100', '武汉市', '27', '430', 4, [
    ['420102', '江岸区'],
    ['420103', '江汉区'],
    ['420106', '武昌区'],
  ]),
  city('430100', '长沙市', '731', '410', 4, [
    ['430102', '芙蓉区'],
    ['430103', '天心区'],
    ['430104', '岳麓区'],
  ]),
  city('440100', '广州市', '20', '510', 7, [
    ['440103', '荔湾区'],
    ['440104', '越秀区'],
    ['440106', '天河区'],
  ]),
  city('440300', '深圳市', '755', '518', 7, [
    ['440303', '罗湖区'],
    ['440304', '福田区'],
    ['440305', '南山区'],
  ]),
  city('441900', '东莞市', '769', '523', 3, [['441900', '']]),
  city('450100', '南宁市', '771', '530', 3, [
    ['450102', '兴宁区'],
    ['450103', '青秀区'],
  ]),
  city('460100', '海口市', '898', '570', 1, [
    ['460105', '秀英区'],
    ['460106', '龙华区'],
    ['460108', '美兰区'],
  ]),
  city('500100', '重庆市', '23', '400', 6, [
    ['500101', '万州区'],
    ['500103', '渝中区'],
    ['500105', '江北区'],
    ['500106', '沙坪坝区'],
  ]),
  city('510100', '成都市', '28', '610', 6, [
    ['510104', '锦江区'],
    ['510105', '青羊区'],
    ['510106', '金牛区'],
    ['510107', '武侯区'],
  ]),
  city('520100', '贵阳市', '851', '550', 2, [
    ['520102', '南明区'],
    ['520103', '云岩区'],
  ]),
  city('530100', '昆明市', '871', '650', 3, [
    ['530102', '五华区'],
    ['530103', '盘龙区'],
    ['530111', '官渡区'],
  ]),
  city('540100', '拉萨市', '891', '850', 1, [['540102', '城关区']]),
  city('610100', '西安市', '29', '710', 4, [
    ['610102', '新城区'],
    ['610103', '碑林区'],
    ['610104', '莲湖区'],
    ['610113', '雁塔区'],
  ]),
  city('620100', '兰州市', '931', '730', 2, [
    ['620102', '城关区'],
    ['620103', '七里河区'],
  ]),
  city('630100', '西宁市', '971', '810', 1, [
    ['630102', '城东区'],
    ['630103', '城中区'],
  ]),
  city('640100', '银川市', '951', '750', 1, [
    ['640104', '兴庆区'],
    ['640105', '西夏区'],
  ]),
  city('650100', '乌鲁木齐市', '991', '830', 2, [
    ['650102', '天山区'],
    ['650103', '沙依巴克区'],
  ]),
];

export const cities: WeightedTable<City> = weighted(cityList.map((entry) => [entry, entry.weight]));

/**
 * Street names for addresses: @faker-js/faker's zh_CN locale data (长安街, 中山路, …), read as a
 * table and picked with our own seeded random source, so records stay reproducible by index and
 * fast to make (re-seeding faker itself for every record would be neither).
 */
export const streets: readonly string[] = [
  ...new Set(faker.rawDefinitions.location?.street_name ?? []),
];
if (streets.length === 0) throw new Error('faker zh_CN street names are missing');

/**
 * Mobile prefixes (the first three digits) that libphonenumber's metadata knows as mobile
 * ranges; the unit test checks each one through validatePhone.
 */
export const mobilePrefixes: readonly string[] = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
];

export const occupations: readonly string[] = [
  '工程师',
  '教师',
  '医生',
  '护士',
  '会计',
  '销售',
  '公务员',
  '个体经营者',
  '司机',
  '厨师',
  '律师',
  '设计师',
  '程序员',
  '退休人员',
  '学生',
  '自由职业',
  '工人',
  '农民',
];

export const sourcesOfFunds: readonly string[] = [
  '工资收入',
  '经营收入',
  '投资收益',
  '退休金',
  '租金收入',
  '家庭资助',
];

export const tradeNames: readonly string[] = [
  '华创',
  '恒信',
  '中科',
  '瑞丰',
  '鼎盛',
  '金诚',
  '宏达',
  '新锐',
  '天成',
  '博远',
  '嘉禾',
  '永泰',
  '汇通',
  '九州',
  '盛世',
  '明德',
  '安和',
  '众联',
  '长青',
  '飞腾',
];

/** Industry wording of a company name, with its English rendering. */
export const industries: readonly (readonly [string, string])[] = [
  ['科技', 'Technology'],
  ['贸易', 'Trading'],
  ['建筑工程', 'Construction Engineering'],
  ['餐饮管理', 'Catering Management'],
  ['物流', 'Logistics'],
  ['医药', 'Pharmaceutical'],
  ['电子', 'Electronics'],
  ['文化传媒', 'Culture and Media'],
  ['机械制造', 'Machinery'],
  ['农业发展', 'Agricultural Development'],
];

export const individualNoteTexts: readonly string[] = [
  '客户咨询大额存单。',
  '客户更新了联系电话。',
  '客户询问理财产品收益。',
  '提醒客户身份证即将到期。',
  '客户办理了借记卡挂失。',
  '客户对手机银行有疑问，已讲解。',
  '客户咨询房贷提前还款。',
];

export const corporateNoteTexts: readonly string[] = [
  '企业客户询问代发工资服务。',
  '财务负责人更新了预留印鉴。',
  '客户咨询跨境结算业务。',
  '提醒客户完成年度报告公示。',
];

export const taskTitles: readonly string[] = [
  '回访大额存单需求',
  '提醒更新身份证件',
  '邀请参加理财沙龙',
  '跟进贷款申请材料',
  '完成定期尽职调查',
];

/** Account products and the card or account number prefix shown in their masked form. */
export const accountProducts: readonly (readonly [string, string])[] = [
  ['借记卡', '6222'],
  ['借记卡', '6217'],
  ['活期储蓄', '6228'],
  ['定期存款', '6013'],
  ['信用卡', '6259'],
  ['理财账户', '6216'],
];

/** The purposes synthetic customers were asked about (four of the catalogue's six). */
export const syntheticConsentPurposes: readonly ConsentPurpose[] = [
  'marketing_sms',
  'credit_report_enquiry',
  'group_data_sharing',
  'marketing_phone',
];

/** Area codes whose subscriber numbers are 7 digits; elsewhere they are 8. */
export const sevenDigitAreaCodes: ReadonlySet<string> = new Set([
  '315',
  '351',
  '471',
  '592',
  '771',
  '891',
  '931',
  '951',
  '971',
  '991',
]);
