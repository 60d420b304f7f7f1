/**
 * The docs hold together: every relative link in README.md and docs/**.md reaches an existing file
 * (and, for a Markdown page, the heading its #anchor names), and alerts and runbooks match one to
 * one.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { RULE_GROUPS, isAlert, runbookOf } from '../domain/rules';

const ROOT = join(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

/** Links outside code: fenced blocks and inline code show syntax, not links. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.replace(/```[\s\S]*?```/g, '').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((line) => slug(line.replace(/^#+ /, ''))));
}

const DOCS = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

describe('links', () => {
  test('the pages checked include the README, the guide, METRICS.md and the runbooks', () => {
    const names = DOCS.map((file) => relative(ROOT, file));
    expect(names).toEqual(
      expect.arrayContaining(['README.md', 'docs/MONITORING_GUIDE.md', 'docs/METRICS.md', 'docs/runbooks/APIDown.md']),
    );
  });

  test('every relative link resolves to an existing file and heading', () => {
    const broken = DOCS.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return linksOf(text)
        .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link))
        .flatMap((link) => {
          const [path, anchor] = link.split('#');
          const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
          if (!existsSync(target)) return [`${relative(ROOT, file)}: ${link} (no such file)`];
          if (anchor === undefined || !target.endsWith('.md')) return [];
          const anchors = anchorsOf(readFileSync(target, 'utf8'));
          return anchors.has(anchor) ? [] : [`${relative(ROOT, file)}: ${link} (no heading #${anchor})`];
        });
    });
    expect(broken).toEqual([]);
  });

  test('the link check itself sees a broken link, an external one and a code sample for what they are', () => {
    expect(linksOf('[a](x.md) [b](https://example.com) `[c](in-code.md)`\n```\n[d](fenced.md)\n```')).toEqual([
      'x.md',
      'https://example.com',
    ]);
    expect(slug('Quickstart (5 minutes)')).toBe('quickstart-5-minutes');
    expect(slug('Is it working? `npm run check`')).toBe('is-it-working-npm-run-check');
  });
});

describe('runbooks', () => {
  // The burn-rate alerts of an SLO share its page (runbookOf).
  const alerts = [...new Set(RULE_GROUPS.flatMap((group) => group.rules.filter(isAlert).map(runbookOf)))].sort();
  const runbooks = readdirSync(join(ROOT, 'docs', 'runbooks'))
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => name.replace(/\.md$/, ''))
    .sort();

  test('every alert has a runbook and every runbook an alert', () => {
    expect(runbooks).toEqual(alerts);
  });

  test('each runbook is titled with its alert and has the sections on-call needs', () => {
    const missing = runbooks.flatMap((name) => {
      const text = readFileSync(join(ROOT, 'docs', 'runbooks', `${name}.md`), 'utf8');
      const problems = text.startsWith(`# ${name}\n`) ? [] : [`${name}: title is not "# ${name}"`];
      const sections = ['What it means', 'Impact', 'Diagnose', 'Fix', 'Escalate'];
      return [
        ...problems,
        ...sections
          .filter((section) => !new RegExp(`^## ${section}\\b`, 'm').test(text))
          .map((s) => `${name}: no "## ${s}"`),
      ];
    });
    expect(missing).toEqual([]);
  });
});
