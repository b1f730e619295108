/**
 * Node's flags for the `tidings` processes a test starts, commands and servers alike: the embedded
 * database's WebAssembly compiled by the baseline compiler only. Each process ends before optimized
 * code would pay off, and tiering up costs CPU in every one: a command about 0.6 s (`seed --demo`
 * 16.4 s of CPU instead of 17.8, an export 4.0 instead of 5.2–6.5), a server on the demo data 2.1 s
 * to ready instead of 3.2–4.3, and no more over its next 1,200 requests (4.6–5.6 s against 5.7–6.7).
 * The answers are the same, and the suite starts some eighty commands and a server per browser test file
 * on two cores.
 * `npm start` runs without them: a server that stays up gains from optimized code.
 */
export const shortLivedFlags = ['--liftoff-only'];
