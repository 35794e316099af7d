// The same person registered a second time, as data quality finds them: the edit that makes one
// customer's record another registration of `person` (their names, birth date and gender, and a
// passport instead of their ID card), for HQ (`editAtHq`, the admin API) or a record in memory.
import type { Customer, IdentityDocument } from '../../shared/customer';

export function secondRegistrationOf(person: Customer, passportNumber: string) {
  if (person.kind !== 'individual') throw new Error('a second registration is of a person');
  const passport: IdentityDocument = {
    type: 'passport',
    number: passportNumber,
    issuingCountry: 'CHN',
    expiresOn: null,
  };
  return {
    legalName: person.legalName,
    ...(person.chineseName ? { chineseName: person.chineseName } : {}),
    ...(person.pinyinName ? { pinyinName: person.pinyinName } : {}),
    ...(person.englishName ? { englishName: person.englishName } : {}),
    birthDate: person.birthDate,
    gender: person.gender,
    nationality: 'CHN',
    identityDocuments: [passport],
  };
}
