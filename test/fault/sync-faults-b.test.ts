// The seeded fault simulation, part 2 of 2 (seeded-run.ts): two files, so that the two test
// workers run the seeds side by side.
import { describeFaultSeeds, seedsOfPart } from './seeded-run';

describeFaultSeeds(seedsOfPart(1, 2));
