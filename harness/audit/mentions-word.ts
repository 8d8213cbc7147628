function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/**
 * True when `text` holds `word` with no identifier character (`A–Z a–z 0–9 _ $`) on either side:
 * `time` in `import time` or `time.time()`, not in `datetime` or `runtime`. A skip test for the
 * audit's prefilter, never a detector.
 */
export function mentionsWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if ((i === 0 || !isWordChar(text.charCodeAt(i - 1))) && !isWordChar(text.charCodeAt(i + word.length))) return true;
  }
  return false;
}
