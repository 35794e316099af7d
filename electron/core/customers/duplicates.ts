// Duplicate detection. The same identity document twice is refused outright; the same name and
// birth date, or the same phone with a similar name, is a probable duplicate the teller is
// warned about and may accept.
import type { Customer } from '../../../shared/customer';
import type { CustomerStore } from './store';
import { nationalNumber, namePinyin, reverse, searchableName, term, termTags } from './terms';

export interface DuplicateCandidate {
  id: string;
  customerNumber: string;
  displayName: string;
}

export interface DocumentConflict {
  documentType: string;
  existing: DuplicateCandidate;
}

export interface ProbableDuplicate {
  reason: 'same_name_and_birth_date' | 'same_phone_similar_name';
  candidate: DuplicateCandidate;
}

export interface DuplicateReport {
  /** Each identity document of `customer` that another customer already has. */
  documentConflicts: DocumentConflict[];
  probable: ProbableDuplicate[];
}

const CANDIDATE_LIMIT = 20;

export function findDuplicates(store: CustomerStore, customer: Customer): DuplicateReport {
  const others = (searchTerm: string) =>
    store
      .keysWithTerm(searchTerm, CANDIDATE_LIMIT + 1)
      .map((key) => store.getByKey(key)?.customer)
      .filter((other): other is Customer => other !== undefined && other.id !== customer.id);

  const documentConflicts: DocumentConflict[] = [];
  for (const document of customer.identityDocuments) {
    for (const other of others(term(termTags.documentReversed, reverse(document.number)))) {
      // The term is type-agnostic; the same number on a different kind of document is no clash.
      if (
        other.identityDocuments.some(
          (theirs) => theirs.type === document.type && theirs.number === document.number,
        )
      ) {
        documentConflicts.push({ documentType: document.type, existing: candidateOf(other) });
      }
    }
  }

  const probable = new Map<string, ProbableDuplicate>();
  if (customer.kind === 'individual') {
    for (const other of others(
      term(termTags.nameBirth, `${searchableName(customer.legalName)}|${customer.birthDate}`),
    )) {
      probable.set(other.id, { reason: 'same_name_and_birth_date', candidate: candidateOf(other) });
    }
  }
  for (const phone of customer.phones) {
    for (const other of others(term(termTags.phone, nationalNumber(phone.e164)))) {
      if (!probable.has(other.id) && similarNames(customer.legalName, other.legalName)) {
        probable.set(other.id, {
          reason: 'same_phone_similar_name',
          candidate: candidateOf(other),
        });
      }
    }
  }
  const conflicted = new Set(documentConflicts.map((conflict) => conflict.existing.id));
  return {
    documentConflicts,
    probable: [...probable.values()].filter((p) => !conflicted.has(p.candidate.id)),
  };
}

/**
 * Names a teller would call "probably the same person": equal, one edit apart (a typo, a
 * dropped character), or read the same in pinyin (a homophone typed by an IME).
 */
export function similarNames(a: string, b: string): boolean {
  const left = searchableName(a);
  const right = searchableName(b);
  if (left === right) return true;
  if (editDistanceAtMostOne([...left], [...right])) return true;
  const pinyinLeft = namePinyin(left)?.syllables.join('');
  return pinyinLeft !== undefined && pinyinLeft === namePinyin(right)?.syllables.join('');
}

function editDistanceAtMostOne(a: string[], b: string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function candidateOf(customer: Customer): DuplicateCandidate {
  return {
    id: customer.id,
    customerNumber: customer.customerNumber,
    displayName: customer.legalName,
  };
}
