/**
 * The known name closest to a misspelled one (`exclde` → `exclude`), or undefined when none is
 * close enough to be a likely typo. Case is ignored; a swap of two neighbours counts as one edit.
 */
export function closestName(written: string, known: Iterable<string>): string | undefined {
  const word = written.toLowerCase();
  // One edit in a short word (`rulez`), two in a longer one (`exclde`, `hostnetwork`); none in a
  // word of three letters, where one edit turns any name into another (`gpu`, `cpu`).
  const limit = word.length <= 3 ? 0 : word.length <= 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = editDistance(word, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, (before[j - 2] ?? 0) + 1);
      current.push(distance);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
