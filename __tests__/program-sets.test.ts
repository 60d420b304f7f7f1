/**
 * The version matrix's program sets (testing/program-sets.ts): which sets run, what versions they
 * report, and that a set runs the releases it says it does.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rangeSelectionOf } from '../domain/rules/unit-tests';
import {
  DEFAULT_MATRIX,
  SET_PACKAGES,
  describeOnProgramSets,
  matrixSetNames,
  programSetsDir,
  upstreamVersion,
} from '../testing/program-sets';

describe('program sets', () => {
  test('the upstream release of a Debian version', () => {
    expect(
      ['3.5.3+ds1-6', '2.53.3+ds1-2', '0.17.1-1+b4', '2.42.0+ds-5+deb12u1', '1:0.28.1+ds-1', '1.86.0', '1.0~rc1-2'].map(
        upstreamVersion,
      ),
    ).toEqual(['3.5.3', '2.53.3', '0.17.1', '2.42.0', '0.28.1', '1.86.0', '1.0']);
  });

  test('the matrix: floor and current by default, PROGRAM_SETS in the oldest-first order, a wrong name refused', () => {
    expect(matrixSetNames({})).toEqual(DEFAULT_MATRIX);
    expect(DEFAULT_MATRIX).toEqual(['floor', 'current']);
    expect(matrixSetNames({ PROGRAM_SETS: 'current, trixie,floor' })).toEqual(['floor', 'trixie', 'current']);
    expect(() => matrixSetNames({ PROGRAM_SETS: 'floor,stable' })).toThrow(
      'PROGRAM_SETS: stable is not a program set (expected floor, trixie, current)',
    );
  });

  test("a set's packages: every component's Debian program and promtool", () => {
    expect([...SET_PACKAGES].sort()).toEqual([
      'prometheus',
      'prometheus-alertmanager',
      'prometheus-node-exporter',
      'prometheus-postgres-exporter',
      'prometheus-redis-exporter',
      'promtool',
    ]);
  });

  test('Prometheus 3 selects ranges left-open, 2 closed', () => {
    expect(['2.42.0', '2.53.3', '3.0.0', '3.5.3', 'v3.14.0'].map(rangeSelectionOf)).toEqual([
      'closed',
      'closed',
      'leftOpen',
      'leftOpen',
      'leftOpen',
    ]);
    expect(() => rangeSelectionOf('')).toThrow('not a Prometheus version: ""');
  });
});

const PROGRAMS = ['prometheus', 'promtool', 'prometheus-alertmanager', 'amtool', 'prometheus-node-exporter'];

describe('npm run programs:fetch', () => {
  const fetch = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'programs:fetch', '--', ...args], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('--help answers with the usage, exit 0', () => {
    const result = fetch('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run programs:fetch -- \[floor\|trixie\|current \.\.\.\]/);
  });

  test('a name that is no set is a usage error naming it, exit 2, nothing fetched', () => {
    const result = fetch('bogus');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bogus: not a program set \(expected floor, trixie, current\)/);
    expect(result.stdout).toBe('');
  });
});

describeOnProgramSets('each set runs the releases it reports', PROGRAMS, (programs) => {
  test.each(PROGRAMS)('%s --version prints the version of its package', (program) => {
    const result = spawnSync(programs.binary(program), ['--version'], { encoding: 'utf8', timeout: 10_000 });
    expect(`${result.stdout}${result.stderr}`).toMatch(new RegExp(`version ${programs.version(program)}\\b`));
  });

  test('a fetched set runs from the cache, the floor from PATH', () => {
    const where = programs.binary('promtool');
    if (programs.name === 'floor') expect(where).toBe('promtool');
    else expect(where.startsWith(`${programSetsDir()}/${programs.suite}/`)).toBe(true);
  });
});
