/** The seeded PRNG for tests, fuzzers and benches (one implementation, kept with the demo data it also seeds). */
export { seededRandom } from '../../central/demo/rng.ts';
