// `npm run bench`: runs every scenario and prints the medians, ratios and targets.
//   --write            regenerate bench/RESULTS.md (the measurements are also kept in bench/.build/last-run.json)
//   --render           regenerate bench/RESULTS.md from the last --write run's measurements and the current
//                      bench/findings.md, without measuring again (findings are written after seeing the figures)
//   --smoke            about 1 s per contender, one round, no warm-up, no targets (CI); fails only if the
//                      harness breaks or a response is wrong
//   --only ID[,ID]     run only these scenarios (ids in bench/scenarios/)
//   --contenders ID[,ID]  run only these contenders of the selected scenarios (e.g. to profile two of them)
//   --profile ID[,ID]  run these contenders under `node --cpu-prof` and summarize the profiles
//   --duration S  --warmup REQUESTS  --rounds N  --connections N
//   --soak             only the soak: two Keyturn instances on one Redis under mixed traffic (bench/harness/soak.ts);
//                      with --write it writes bench/SOAK.md, with --smoke it runs a few seconds
//   --soak-minutes N  --soak-rate REQ/S  --soak-note TEXT (repeatable: a line for SOAK.md, e.g. who else used the machine)
//   A smoke run without --soak ends with a few seconds of the soak, so that its path keeps working.
import fs from 'node:fs';
import path from 'node:path';
import { autocannonOptions } from './harness/load';
import { describeMachine, detectPinning } from './harness/machine';
import { summarizeProfile } from './harness/profile-summary';
import { consoleSummary, evaluateTargets, markdownSection, otherTargetLines } from './harness/report';
import { runScenario, type ContenderRun, type RunSettings, type ScenarioRun } from './harness/runner';
import type { ExtraResult } from './harness/scenario';
import { runSoak, soakConsole, soakMarkdown, SOAK_DEFAULTS, SOAK_SMOKE, type SoakRun } from './harness/soak';
import { REPO_ROOT, displayArg } from './harness/server-process';
import { scenarios } from './scenarios';

interface Cli {
  write: boolean;
  render: boolean;
  smoke: boolean;
  only: string[] | undefined;
  contenders: string[] | undefined;
  profile: string[];
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  soak: boolean;
  soakMinutes: number | undefined;
  soakRate: number | undefined;
  soakNotes: string[];
}

function parseCli(argv: string[]): Cli {
  const cli: Cli = { write: false, render: false, smoke: false, only: undefined, contenders: undefined, profile: [], duration: 10, warmup: 15_000, rounds: 3, connections: 50, soak: false, soakMinutes: undefined, soakRate: undefined, soakNotes: [] };
  const number = (name: string, value: string | undefined) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--write': cli.write = true; break;
      case '--render': cli.render = true; break;
      case '--smoke': cli.smoke = true; break;
      case '--only': cli.only = (value() ?? '').split(','); break;
      case '--contenders': cli.contenders = (value() ?? '').split(','); break;
      case '--profile': cli.profile = (value() ?? '').split(','); break;
      case '--duration': cli.duration = number('duration', value()); break;
      case '--warmup': cli.warmup = Math.max(0, Math.round(Number(value()) || 0)); break;
      case '--rounds': cli.rounds = number('rounds', value()); break;
      case '--connections': cli.connections = number('connections', value()); break;
      case '--soak': cli.soak = true; break;
      case '--soak-minutes': cli.soakMinutes = number('soak-minutes', value()); break;
      case '--soak-rate': cli.soakRate = number('soak-rate', value()); break;
      case '--soak-note': cli.soakNotes.push(value() ?? ''); break;
      default: throw new Error(`unknown argument ${arg}`);
    }
  }
  if (cli.smoke && cli.write) throw new Error('--write needs a full run, not --smoke');
  if (cli.smoke) Object.assign(cli, { duration: 1, warmup: 0, rounds: 1, connections: 10 });
  if (!cli.soak && (cli.soakMinutes !== undefined || cli.soakRate !== undefined || cli.soakNotes.length > 0)) throw new Error('--soak-minutes, --soak-rate and --soak-note need --soak');
  if (cli.soak && (cli.only !== undefined || cli.contenders !== undefined || cli.profile.length > 0 || cli.render)) throw new Error('--soak runs the soak alone: no --only, --contenders, --profile or --render');
  return cli;
}

const PACKAGES = ['express', 'autocannon', 'ioredis', '@node-oauth/oauth2-server', '@node-oauth/express-oauth-server', 'oauth2orize', 'passport', 'passport-http', 'jsonwebtoken', 'express-oauth2-jwt-bearer', 'passport-http-bearer'];

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** What --write keeps of a run for --render: scenarios and contenders by id, the rest as measured. */
interface SavedRun {
  readonly generatedAt: string;
  readonly cli: Cli;
  readonly settings: Pick<RunSettings, 'pinning' | 'connections' | 'durationSeconds' | 'warmupRequests' | 'rounds'>;
  readonly runs: ReadonlyArray<{ readonly scenario: string; readonly contenders: ReadonlyArray<Omit<ContenderRun, 'contender'> & { readonly contender: string }>; readonly extra?: ExtraResult }>;
}

const SAVED_RUN = path.join(REPO_ROOT, 'bench', '.build', 'last-run.json');

function saveRun(runs: ScenarioRun[], settings: RunSettings, cli: Cli, generatedAt: string): void {
  const saved: SavedRun = {
    generatedAt,
    cli,
    settings: { pinning: settings.pinning, connections: settings.connections, durationSeconds: settings.durationSeconds, warmupRequests: settings.warmupRequests, rounds: settings.rounds },
    runs: runs.map((r) => ({
      scenario: r.scenario.id,
      contenders: r.contenders.map((c) => ({ ...c, contender: c.contender.id })),
      ...(r.extra === undefined ? {} : { extra: r.extra }),
    })),
  };
  fs.writeFileSync(SAVED_RUN, JSON.stringify(saved));
}

function render(): number {
  if (!fs.existsSync(SAVED_RUN)) throw new Error(`--render needs the measurements of a --write run (${path.relative(REPO_ROOT, SAVED_RUN)})`);
  const saved = JSON.parse(fs.readFileSync(SAVED_RUN, 'utf8')) as SavedRun;
  const runs: ScenarioRun[] = saved.runs.map((r) => {
    const scenario = scenarios.find((s) => s.id === r.scenario);
    if (scenario === undefined) throw new Error(`--render: scenario ${r.scenario} no longer exists; run --write again`);
    const contenders = r.contenders.map((c) => {
      const contender = scenario.contenders.find((d) => d.id === c.contender);
      if (contender === undefined) throw new Error(`--render: contender ${r.scenario}/${c.contender} no longer exists; run --write again`);
      return { ...c, contender };
    });
    return { scenario, contenders, ...(r.extra === undefined ? {} : { extra: r.extra }) };
  });
  const settings: RunSettings = { ...saved.settings, profile: new Set(), profileDir: '', log: () => undefined, smoke: false };
  const file = path.join(REPO_ROOT, 'bench', 'RESULTS.md');
  fs.writeFileSync(file, resultsMarkdown(runs, settings, saved.cli, saved.generatedAt));
  console.log(`wrote ${path.relative(REPO_ROOT, file)} from the run of ${saved.generatedAt} UTC`);
  return 0;
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.render) return render();
  const pinning = detectPinning();
  const profileDir = path.join(REPO_ROOT, 'bench', 'profiles');
  if (cli.profile.length > 0) fs.mkdirSync(profileDir, { recursive: true });
  const settings: RunSettings = {
    pinning,
    connections: cli.connections,
    durationSeconds: cli.duration,
    warmupRequests: cli.warmup,
    rounds: cli.rounds,
    profile: new Set(cli.profile),
    profileDir,
    log: (line) => console.log(line),
    smoke: cli.smoke,
  };
  if (cli.soak) return soak(cli, pinning);
  const only = cli.only === undefined ? scenarios : scenarios.filter((s) => cli.only?.includes(s.id));
  const selected = cli.contenders === undefined ? only : only.map((s) => ({ ...s, contenders: s.contenders.filter((c) => cli.contenders?.includes(c.id)) }));
  if (selected.length === 0) throw new Error(`no scenario matches --only ${cli.only?.join(',')}; ids: ${scenarios.map((s) => s.id).join(', ')}`);

  console.log(`${cli.smoke ? 'smoke run' : 'benchmark'}: ${pinning.description}; ${cli.connections} connections, ${cli.duration} s per measurement, warm-up ${cli.warmup} requests per server, ${cli.rounds} round(s)`);
  const started = Date.now();
  const runs: ScenarioRun[] = [];
  for (const scenario of selected) {
    console.log(`\n${scenario.id}`);
    runs.push(await runScenario(scenario, settings));
  }
  for (const run of runs) console.log(consoleSummary(run, !cli.smoke));
  console.log(`\ntook ${((Date.now() - started) / 1000).toFixed(1)} s`);

  for (const id of cli.profile) {
    const file = path.join(profileDir, `${id}.cpuprofile`);
    if (fs.existsSync(file)) console.log(`\n${summarizeProfile(file)}`);
  }

  if (cli.write) {
    const file = path.join(REPO_ROOT, 'bench', 'RESULTS.md');
    const generatedAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
    saveRun(runs, settings, cli, generatedAt);
    fs.writeFileSync(file, resultsMarkdown(runs, settings, cli, generatedAt));
    console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }

  let soakRun: SoakRun | undefined;
  if (cli.smoke) {
    console.log('\nsoak (smoke: a few seconds)');
    soakRun = await runSoak(soakSettings(cli, pinning));
    console.log(soakConsole(soakRun));
  }

  const invalid = [...runs.flatMap((r) => [
    ...r.contenders.filter((c) => c.invalid !== undefined).map((c) => `${r.scenario.id}/${c.contender.id}: ${c.invalid}`),
    ...(r.extra?.invalid === undefined ? [] : [`${r.scenario.id}: ${r.extra.invalid}`]),
  ]), ...(soakRun === undefined ? [] : soakProblems(soakRun))];
  if (invalid.length > 0) {
    console.error(`\nINVALID: responses were wrong or servers failed, so these figures do not count:\n  ${invalid.join('\n  ')}`);
    return 1;
  }
  return 0;
}

function soakSettings(cli: Cli, pinning: ReturnType<typeof detectPinning>) {
  const base = cli.smoke ? SOAK_SMOKE : SOAK_DEFAULTS;
  return { ...base, minutes: cli.soakMinutes ?? base.minutes, rate: cli.soakRate ?? base.rate, pinning, smoke: cli.smoke, log: (line: string) => console.log(line) };
}

/** Why a soak does not count: it could not run, or an answer was unexpected or missing. */
function soakProblems(run: SoakRun): string[] {
  return [
    ...(run.invalid === undefined ? [] : [`soak: ${run.invalid}`]),
    ...(run.verdict.errorFree ? [] : [`soak: ${run.verdict.line.split(';')[0]}`]),
  ];
}

/** `--soak`: the soak alone, and bench/SOAK.md with --write. */
async function soak(cli: Cli, pinning: ReturnType<typeof detectPinning>): Promise<number> {
  const settings = soakSettings(cli, pinning);
  console.log(`soak${cli.smoke ? ' (smoke)' : ''}: ${pinning.description}; ${settings.minutes} min after a ${settings.warmupSeconds} s warm-up, ${settings.rate} req/s offered over two instances`);
  const run = await runSoak(settings);
  console.log(soakConsole(run));
  if (cli.write) {
    const file = path.join(REPO_ROOT, 'bench', 'SOAK.md');
    const generatedAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const command = `npm run bench -- --soak --write${cli.soakMinutes !== undefined ? ` --soak-minutes ${cli.soakMinutes}` : ''}${cli.soakRate !== undefined ? ` --soak-rate ${cli.soakRate}` : ''}${cli.soakNotes.map(() => ` --soak-note '…'`).join('')}`;
    fs.writeFileSync(file, soakMarkdown(run, generatedAt, command, cli.soakNotes));
    console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }
  const problems = soakProblems(run);
  if (problems.length > 0) {
    console.error(`\nINVALID: ${problems.join('; ')}`);
    return 1;
  }
  return 0;
}

function resultsMarkdown(runs: ScenarioRun[], settings: RunSettings, cli: Cli, generatedAt: string): string {
  const m = describeMachine();
  const findingsFile = path.join(REPO_ROOT, 'bench', 'findings.md');
  const findings = fs.existsSync(findingsFile) ? fs.readFileSync(findingsFile, 'utf8').trim() : '';
  const loadScript = displayArg(path.join(__dirname, 'harness', 'load-worker.js'));
  const exampleRun = runs[0]?.contenders.find((c) => c.request !== undefined);
  const out: string[] = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench -- --write\` on ${generatedAt} UTC. Do not edit by hand: change the`,
    'scenarios in bench/ or the findings in bench/findings.md and run it again.',
    '',
    '## Machine and method',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; ${m.memoryGiB} GiB memory; ${m.os}`,
    `- Node ${m.node}`,
    `- Pinning: ${settings.pinning.description}`,
    `- Load: autocannon, ${cli.connections} connections, pipelining 1, ${cli.duration} s per measurement; warm-up ${cli.warmup} requests per server;`,
    `  ${cli.rounds} rounds with the contenders interleaved (A B C … A B C …). Each server is its own process, started once per scenario.`,
    '- A run is invalid if any response has another status than expected, any connection errors or times out, or the one',
    '  response checked before the load is wrong (not a real token response). Invalid runs are flagged and `npm run bench` exits 1.',
    '- A target whose per-round ratios fall on both sides of it and lie more than 1.2 × apart is *inconclusive*: the median of',
    '  such rounds is no verdict.',
    '- Servers run as JavaScript compiled by `tsc -p bench/tsconfig.json` into bench/.build (Keyturn from lib/, same compiler and',
    '  `node` for every contender; `NODE_ENV=production` for all).',
    '- The machine is shared and noisy: compare ratios (each computed within one round) rather than absolute figures.',
    '',
    '## Package versions',
    '',
    '| package | version |',
    '| --- | --- |',
    ...PACKAGES.map((p) => `| ${p} | ${packageVersion(p)} |`),
    '',
    '## Commands',
    '',
    '```sh',
    `npm run bench -- --write${cli.duration !== 10 ? ` --duration ${cli.duration}` : ''}${cli.rounds !== 3 ? ` --rounds ${cli.rounds}` : ''}${cli.connections !== 50 ? ` --connections ${cli.connections}` : ''}${cli.warmup !== 15_000 ? ` --warmup ${cli.warmup}` : ''}${cli.only ? ` --only ${cli.only.join(',')}` : ''}${cli.contenders ? ` --contenders ${cli.contenders.join(',')}` : ''}`,
    '# which compiles, then for each scenario starts every server like this:',
    ...runs.flatMap((r) => r.contenders.filter((c) => c.command !== undefined).map((c) => c.command as string)),
    '# and measures each with (the JSON holds the autocannon options; port and headers per server):',
    exampleRun?.request
      ? `${settings.pinning.loadPrefix.join(' ')} node ${loadScript} '${JSON.stringify(autocannonOptions(0, exampleRun.request, { connections: cli.connections, durationSeconds: cli.duration }))}'`.trim()
      : '',
    '```',
    '',
    '## Summary of targets',
    '',
    ...runs.flatMap((r) => [
      ...evaluateTargets(r).map((o) => `- ${r.scenario.id}: **${o.status}**: ${o.target.label}${o.ratio !== undefined ? ` (${o.ratio.toFixed(2)})` : o.note ? ` (${o.note})` : ''}`),
      ...otherTargetLines(r).map((o) => `- ${r.scenario.id}: **${o.status}**: ${o.text}`),
    ]),
    '',
    ...runs.map(markdownSection),
  ];
  if (findings !== '') out.push(findings, '');
  return out.join('\n');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  },
);
