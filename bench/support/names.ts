/**
 * Small arrays of realistic names for generated customers. Prime lengths, so that `g % length`
 * walks every given × family combination (61 × 89 = 5,429) before one repeats.
 */
export const GIVEN_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra',
  'Steven', 'Ashley', 'Paul', 'Emily', 'Andrew', 'Michelle', 'Kevin', 'Amanda', 'Brian', 'Melissa',
  'Anna', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Felix', 'Léa', 'Hugo', 'Chloé', 'Mateo',
  'Lucía', 'Sven', 'Ingrid', 'Aiko', 'Hiroshi', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Wei', 'Olga',
] as const;

export const FAMILY_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Dubois', 'Lefebvre', 'Moreau', 'Laurent', 'Fournier', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi',
  'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser', 'Kowalski', 'Nowak', 'Novák', 'Svoboda', 'Andersson',
  'Johansson', 'Karlsson', 'Nilsson', 'Tanaka', 'Suzuki', 'Sato', 'Kim', 'Park', 'Okafor',
] as const;

export const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Paris', 'Lyon', 'Amsterdam', 'Wien', 'Zürich', 'London', 'Madrid'] as const;
export const LANGUAGES = ['en', 'de', 'fr', 'nl', 'es'] as const;
/** Indexed by g % 7: three in seven active. */
export const STAGES = ['prospect', 'onboarding', 'active', 'active', 'active', 'at_risk', 'closed'] as const;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
if (gcd(GIVEN_NAMES.length, FAMILY_NAMES.length) !== 1) throw new Error('bench names: the array lengths must be coprime');

/** Lower-case ASCII without spaces: "Léa.de Vries" → "lea.devries" (the same as the SQL generator's translate). */
export const emailLocalPart = (text: string) =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replaceAll(' ', '').toLowerCase();

/** Generated customer number g (from 1), the same in SQL generation, CSV files and baselines. */
export function generatedPerson(g: number) {
  const given = GIVEN_NAMES[g % GIVEN_NAMES.length]!;
  const family = FAMILY_NAMES[g % FAMILY_NAMES.length]!;
  const tags = [g % 20 === 0 ? 'vip' : undefined, g % 3 === 0 ? 'newsletter' : undefined, g % 11 === 0 ? 'b2b' : undefined].filter((tag): tag is string => Boolean(tag));
  return {
    given,
    family,
    name: `${given} ${family}`,
    email: `${emailLocalPart(`${given}.${family}`)}.${g}@example.com`,
    phone: `+4930${20_000_000 + (g % 70_000_000)}`,
    street: `${g % 200} Main Street`,
    postalCode: String(g % 99_999).padStart(5, '0'),
    city: CITIES[g % CITIES.length]!,
    country: 'DE',
    language: LANGUAGES[g % LANGUAGES.length]!,
    lifecycleStage: STAGES[g % STAGES.length]!,
    tags,
    lifetimeValue: (g * 7919) % 5000,
  };
}
