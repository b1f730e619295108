/**
 * Names, streets and cities for generated customers, per locale. Names in other scripts carry a
 * romanized form beside them ("Иван|ivan"), from which their email addresses are made. Phones are
 * numbers valid for the country, built from a prefix and the customer's own digits.
 */
export type SeedLocale = {
  country: string;
  language: string;
  timeZone: string;
  /** How often this locale comes up, out of the sum of all weights. */
  weight: number;
  given: string[];
  family: string[];
  /** [city, the first digits of its postal codes] */
  cities: [string, string][];
  street: (number: number, seed: number) => string;
  postalCode: (prefix: string, seed: number) => string;
  /** E.164: the prefix, then `digits` of the customer's number. */
  phone: { prefix: string; digits: number };
  emailDomains: string[];
  organizationForms: string[];
};

const pick = <T>(values: readonly T[], seed: number) => values[seed % values.length]!;
const padded = (value: number, length: number) => String(value).padStart(length, '0');

export const seedLocales: SeedLocale[] = [
  {
    country: 'DE',
    language: 'de',
    timeZone: 'Europe/Berlin',
    weight: 22,
    given: ['Anna', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Felix', 'Jürgen', 'Brigitte', 'Hans-Peter', 'Özlem', 'Käthe'],
    family: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Hoffmann',
      'Schäfer',
      'Groß',
      'Yılmaz',
      'Kowalski',
    ],
    cities: [
      ['Berlin', '10'],
      ['München', '80'],
      ['Köln', '50'],
      ['Hamburg', '20'],
      ['Leipzig', '04'],
      ['Düsseldorf', '40'],
    ],
    street: (number, seed) =>
      `${pick(['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße', 'Am Markt'], seed)} ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+49151', digits: 8 },
    emailDomains: ['web.de', 'gmx.de', 't-online.de', 'example.de'],
    organizationForms: ['GmbH', 'AG', 'GmbH & Co. KG', 'e.V.'],
  },
  {
    country: 'GB',
    language: 'en-GB',
    timeZone: 'Europe/London',
    weight: 14,
    given: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Siobhán', 'Noah', 'Olivia', 'Mohammed', 'Priya'],
    family: ['Smith', 'Jones', 'Taylor', 'Brown', "O'Brien", 'Davies', 'Evans', 'Wilson', 'Patel', 'Khan', 'MacLeod'],
    cities: [
      ['London', 'SW1A'],
      ['Manchester', 'M1'],
      ['Leeds', 'LS1'],
      ['Bristol', 'BS1'],
      ['Edinburgh', 'EH1'],
    ],
    street: (number, seed) =>
      `${number} ${pick(['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane'], seed)}`,
    postalCode: (prefix, seed) => `${prefix} ${seed % 10}${pick(['AA', 'BD', 'HX', 'QT', 'WZ'], seed)}`,
    phone: { prefix: '+447911', digits: 6 },
    emailDomains: ['gmail.com', 'outlook.com', 'btinternet.com', 'example.co.uk'],
    organizationForms: ['Ltd', 'plc', 'LLP'],
  },
  {
    country: 'FR',
    language: 'fr',
    timeZone: 'Europe/Paris',
    weight: 10,
    given: ['Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Théo', 'Inès', 'Noël', 'Zoé', 'François'],
    family: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit', 'Durand', 'Lefèvre', 'Moreau', 'Girard'],
    cities: [
      ['Paris', '75'],
      ['Lyon', '69'],
      ['Marseille', '13'],
      ['Toulouse', '31'],
      ['Lille', '59'],
    ],
    street: (number, seed) =>
      `${number} ${pick(['rue de la Paix', 'avenue Victor Hugo', 'boulevard Voltaire', 'rue des Écoles'], seed)}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+336', digits: 8 },
    emailDomains: ['orange.fr', 'free.fr', 'laposte.net', 'example.fr'],
    organizationForms: ['SARL', 'SA', 'SAS'],
  },
  {
    country: 'ES',
    language: 'es',
    timeZone: 'Europe/Madrid',
    weight: 8,
    given: ['Lucía', 'Mateo', 'Martina', 'Hugo', 'Sofía', 'Álvaro', 'María José', 'Iñaki', 'Nuria'],
    family: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Muñoz'],
    cities: [
      ['Madrid', '28'],
      ['Barcelona', '08'],
      ['Sevilla', '41'],
      ['Valencia', '46'],
      ['Bilbao', '48'],
    ],
    street: (number, seed) =>
      `${pick(['Calle Mayor', 'Avenida de la Constitución', 'Calle del Sol', 'Plaza de España'], seed)}, ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+346', digits: 8 },
    emailDomains: ['gmail.com', 'hotmail.es', 'telefonica.net', 'example.es'],
    organizationForms: ['S.L.', 'S.A.'],
  },
  {
    country: 'PL',
    language: 'pl',
    timeZone: 'Europe/Warsaw',
    weight: 6,
    given: ['Zofia', 'Jakub', 'Małgorzata', 'Łukasz', 'Agnieszka', 'Paweł', 'Grażyna', 'Wojciech'],
    family: ['Nowak', 'Kowalska', 'Wiśniewski', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zieliński', 'Szymańska'],
    cities: [
      ['Warszawa', '00'],
      ['Kraków', '30'],
      ['Łódź', '90'],
      ['Wrocław', '50'],
      ['Gdańsk', '80'],
    ],
    street: (number, seed) => `ul. ${pick(['Długa', 'Marszałkowska', 'Floriańska', 'Piotrkowska'], seed)} ${number}`,
    postalCode: (prefix, seed) => `${prefix}-${padded(seed % 1000, 3)}`,
    phone: { prefix: '+48601', digits: 6 },
    emailDomains: ['wp.pl', 'onet.pl', 'interia.pl', 'example.pl'],
    organizationForms: ['Sp. z o.o.', 'S.A.'],
  },
  {
    country: 'TR',
    language: 'tr',
    timeZone: 'Europe/Istanbul',
    weight: 5,
    given: ['Elif', 'Mehmet', 'Zeynep', 'Mustafa', 'Ayşe', 'Çağrı', 'Gülşen', 'İbrahim'],
    family: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Öztürk', 'Aydın', 'Doğan'],
    cities: [
      ['İstanbul', '34'],
      ['Ankara', '06'],
      ['İzmir', '35'],
      ['Bursa', '16'],
    ],
    street: (number, seed) =>
      `${pick(['Atatürk Caddesi', 'Cumhuriyet Sokak', 'İstiklal Caddesi'], seed)} No: ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+90532', digits: 7 },
    emailDomains: ['gmail.com', 'hotmail.com', 'example.com.tr'],
    organizationForms: ['A.Ş.', 'Ltd. Şti.'],
  },
  {
    country: 'RU',
    language: 'ru',
    timeZone: 'Europe/Moscow',
    weight: 6,
    given: [
      'Иван|ivan',
      'Мария|maria',
      'Алексей|aleksei',
      'Наталья|natalia',
      'Дмитрий|dmitrii',
      'Ольга|olga',
      'Сергей|sergei',
    ],
    family: [
      'Иванов|ivanov',
      'Смирнова|smirnova',
      'Кузнецов|kuznetsov',
      'Попова|popova',
      'Соколов|sokolov',
      'Лебедева|lebedeva',
    ],
    cities: [
      ['Москва', '101'],
      ['Санкт-Петербург', '190'],
      ['Казань', '420'],
      ['Новосибирск', '630'],
    ],
    street: (number, seed) => `ул. ${pick(['Ленина', 'Пушкина', 'Садовая', 'Гагарина'], seed)}, д. ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+7916', digits: 7 },
    emailDomains: ['yandex.ru', 'mail.ru', 'example.ru'],
    organizationForms: ['ООО', 'АО'],
  },
  {
    country: 'UA',
    language: 'uk',
    timeZone: 'Europe/Kyiv',
    weight: 3,
    given: ['Олена|olena', 'Тарас|taras', 'Ірина|iryna', 'Богдан|bohdan', 'Ганна|hanna', 'Юрій|yurii'],
    family: [
      'Шевченко|shevchenko',
      'Коваленко|kovalenko',
      'Бондаренко|bondarenko',
      'Ткаченко|tkachenko',
      'Мельник|melnyk',
    ],
    cities: [
      ['Київ', '01'],
      ['Львів', '79'],
      ['Одеса', '65'],
      ['Харків', '61'],
    ],
    street: (number, seed) => `вул. ${pick(['Хрещатик', 'Шевченка', 'Франка'], seed)}, ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+38067', digits: 7 },
    emailDomains: ['ukr.net', 'gmail.com', 'example.ua'],
    organizationForms: ['ТОВ', 'ПрАТ'],
  },
  {
    country: 'GR',
    language: 'el',
    timeZone: 'Europe/Athens',
    weight: 3,
    given: ['Γιώργος|giorgos', 'Μαρία|maria', 'Νίκος|nikos', 'Ελένη|eleni', 'Κώστας|kostas', 'Σοφία|sofia'],
    family: [
      'Παπαδόπουλος|papadopoulos',
      'Βασιλείου|vasileiou',
      'Νικολάου|nikolaou',
      'Γεωργίου|georgiou',
      'Οικονόμου|oikonomou',
    ],
    cities: [
      ['Αθήνα', '10'],
      ['Θεσσαλονίκη', '54'],
      ['Πάτρα', '26'],
    ],
    street: (number, seed) => `${pick(['Οδός Ερμού', 'Λεωφόρος Αλεξάνδρας', 'Οδός Σταδίου'], seed)} ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+30694', digits: 7 },
    emailDomains: ['otenet.gr', 'gmail.com', 'example.gr'],
    organizationForms: ['Α.Ε.', 'Ε.Π.Ε.'],
  },
  {
    country: 'EG',
    language: 'ar',
    timeZone: 'Africa/Cairo',
    weight: 4,
    given: ['محمد|mohamed', 'فاطمة|fatma', 'أحمد|ahmed', 'مريم|mariam', 'عمر|omar', 'نور|nour', 'يوسف|youssef'],
    family: ['حسن|hassan', 'علي|ali', 'إبراهيم|ibrahim', 'عبد الله|abdallah', 'منصور|mansour', 'السيد|elsayed'],
    cities: [
      ['القاهرة', '11'],
      ['الإسكندرية', '21'],
      ['الجيزة', '12'],
    ],
    street: (number, seed) => `${number} ${pick(['شارع التحرير', 'شارع الهرم', 'شارع النيل'], seed)}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+2010', digits: 8 },
    emailDomains: ['gmail.com', 'yahoo.com', 'example.eg'],
    organizationForms: ['ش.م.م', 'ش.م.م.'],
  },
  {
    country: 'IL',
    language: 'he',
    timeZone: 'Asia/Jerusalem',
    weight: 2,
    given: ['נועה|noa', 'דוד|david', 'מיכל|michal', 'יוסף|yosef', 'שירה|shira'],
    family: ['כהן|cohen', 'לוי|levi', 'מזרחי|mizrahi', 'פרץ|peretz', 'ביטון|biton'],
    cities: [
      ['תל אביב', '61'],
      ['ירושלים', '91'],
      ['חיפה', '31'],
    ],
    street: (number, seed) => `${pick(['רחוב הרצל', 'רחוב יפו', 'שדרות רוטשילד'], seed)} ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 100000, 5),
    phone: { prefix: '+97252', digits: 7 },
    emailDomains: ['walla.co.il', 'gmail.com', 'example.co.il'],
    organizationForms: ['בע"מ'],
  },
  {
    country: 'IN',
    language: 'hi',
    timeZone: 'Asia/Kolkata',
    weight: 5,
    given: ['आरव|aarav', 'प्रिया|priya', 'अर्जुन|arjun', 'अनन्या|ananya', 'राहुल|rahul', 'दीपिका|deepika'],
    family: ['शर्मा|sharma', 'वर्मा|verma', 'गुप्ता|gupta', 'सिंह|singh', 'पटेल|patel', 'कुमार|kumar'],
    cities: [
      ['नई दिल्ली', '110'],
      ['मुंबई', '400'],
      ['बेंगलुरु', '560'],
      ['जयपुर', '302'],
    ],
    street: (number, seed) => `${number}, ${pick(['महात्मा गांधी मार्ग', 'नेहरू रोड', 'स्टेशन रोड'], seed)}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+9198', digits: 8 },
    emailDomains: ['gmail.com', 'rediffmail.com', 'example.in'],
    organizationForms: ['प्राइवेट लिमिटेड', 'लिमिटेड'],
  },
  {
    country: 'CN',
    language: 'zh',
    timeZone: 'Asia/Shanghai',
    weight: 4,
    given: ['伟|wei', '芳|fang', '秀英|xiuying', '磊|lei', '静|jing', '明|ming'],
    family: ['王|wang', '李|li', '张|zhang', '刘|liu', '陈|chen', '杨|yang'],
    cities: [
      ['北京', '100'],
      ['上海', '200'],
      ['广州', '510'],
      ['成都', '610'],
    ],
    street: (number, seed) => `${pick(['人民路', '中山路', '解放路', '长安街'], seed)}${number}号`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+86138', digits: 8 },
    emailDomains: ['qq.com', '163.com', 'example.cn'],
    organizationForms: ['有限公司', '股份有限公司'],
  },
  {
    country: 'JP',
    language: 'ja',
    timeZone: 'Asia/Tokyo',
    weight: 4,
    given: ['翔太|shota', '陽菜|hina', '大輔|daisuke', 'さくら|sakura', '健一|kenichi', '美咲|misaki'],
    family: ['佐藤|sato', '鈴木|suzuki', '高橋|takahashi', '田中|tanaka', '伊藤|ito', '渡辺|watanabe'],
    cities: [
      ['東京', '100'],
      ['大阪', '530'],
      ['京都', '600'],
      ['札幌', '060'],
    ],
    street: (number, seed) => `${pick(['中央区銀座', '北区梅田', '中京区烏丸'], seed)}${number}丁目`,
    postalCode: (prefix, seed) => `${prefix}-${padded(seed % 10000, 4)}`,
    phone: { prefix: '+81901', digits: 7 },
    emailDomains: ['docomo.ne.jp', 'yahoo.co.jp', 'example.jp'],
    organizationForms: ['株式会社', '合同会社'],
  },
  {
    country: 'KR',
    language: 'ko',
    timeZone: 'Asia/Seoul',
    weight: 2,
    given: ['민준|minjun', '서연|seoyeon', '지훈|jihun', '하은|haeun', '도윤|doyun'],
    family: ['김|kim', '이|lee', '박|park', '최|choi', '정|jung'],
    cities: [
      ['서울', '04'],
      ['부산', '48'],
      ['인천', '21'],
    ],
    street: (number, seed) => `${pick(['세종대로', '테헤란로', '해운대로'], seed)} ${number}`,
    postalCode: (prefix, seed) => prefix + padded(seed % 1000, 3),
    phone: { prefix: '+8210', digits: 8 },
    emailDomains: ['naver.com', 'daum.net', 'example.kr'],
    organizationForms: ['주식회사'],
  },
];

/** A name's native form, and the lower-case ASCII form its email address uses. */
export function nameParts(entry: string): { native: string; latin: string } {
  const bar = entry.indexOf('|');
  if (bar > 0) return { native: entry.slice(0, bar), latin: entry.slice(bar + 1) };
  const latin = entry
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  return { native: entry, latin };
}
