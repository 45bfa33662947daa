// Word lists the tests and benchmarks generate: pseudo-random lower-case words of 3 to
// 10 letters, the same on every run (a linear congruential generator, fixed seed).

/** `count` words, one per line. */
export function generatedWords(count) {
  let state = 12345;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  const words = [];
  for (let i = 0; i < count; i++) {
    const len = 3 + (next() % 8);
    let w = '';
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + (next() % 26));
    words.push(w);
  }
  return words.join('\n');
}
