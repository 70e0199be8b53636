// Summarizes a `node --cpu-prof` profile: where the server's CPU time went, by function and by source file,
// so a missed target can be traced to a place in lib/ or in a dependency.
// Usage: node bench/.build/bench/harness/profile-summary.js <file.cpuprofile> [top]
import fs from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per file, in percent of all samples. */
export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  // Inclusive time per file: time of every sample whose stack passes through the file (counted once).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byFunction = new Map<string, number>();
  const byFileSelf = new Map<string, number>();
  const byFileInclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const node = nodes.get(id) as CpuProfileNode;
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
    const f = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    byFileSelf.set(f, (byFileSelf.get(f) ?? 0) + time);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const u = shortUrl((nodes.get(cur) as CpuProfileNode).callFrame.url);
      if (u !== '' && !seen.has(u)) {
        seen.add(u);
        byFileInclusive.set(u, (byFileInclusive.get(u) ?? 0) + time);
      }
    }
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `  ${pct(t)}  ${k}`);
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s sampled`,
    'self time by function:',
    ...list(byFunction, top),
    'self time by file:',
    ...list(byFileSelf, top),
    'inclusive time by file (stack passes through it):',
    ...list(byFileInclusive, top),
  ].join('\n');
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/bench\/\.build\//, '');
}

if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: profile-summary <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(file, Number(process.argv[3] ?? 25)));
}
