export { CANDIDATE_CAP, CustomerSearch, type SearchResult, type SearchHitItem } from './search';
