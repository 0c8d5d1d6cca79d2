#!/usr/bin/env python3
"""Checks the relative links of README.md and docs/**/*.md, and the docs/ pages that Java comments name.

Every link that is not a URL must name an existing file (relative to the page), and a `#anchor`
must name a heading of the target page, spelled as GitHub spells heading anchors. Mentions such as
`docs/recipes.md#quickstart` in the modules' src/main/java are checked the same way (relative to the repository
root). Prints one line per broken link (`file:line: problem`) and exits 1 if there is any.

Usage (from the repository root): python3 scripts/check_links.py [FILE.md ...]
"""
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^()\s]+)(?:\s+"[^"]*")?\)')
FENCE = re.compile(r'^\s*(```|~~~)')


def pages():
    found = [os.path.join(ROOT, 'README.md')]
    for folder, _, files in os.walk(os.path.join(ROOT, 'docs')):
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith('.md')]
    return found


def lines_outside_code(path):
    """(line number, text) of the lines outside fenced code, with inline code spans removed."""
    fenced = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if not fenced:
                yield number, re.sub(r'`+[^`]*`+', '', line)


def slug(heading):
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation removed, spaces to '-'."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # links keep their text
    text = text.replace('`', '').replace('*', '')
    text = text.strip().lower()
    kept = []
    for ch in text:
        if ch in ' -_' or unicodedata.category(ch)[0] in 'LN':
            kept.append(ch)
    return ''.join(kept).replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        seen = {}
        result = set()
        fenced = False
        with open(path, encoding='utf-8') as f:
            for line in f:
                if FENCE.match(line):
                    fenced = not fenced
                    continue
                m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
                if fenced or not m:
                    continue
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                result.add(base if n == 0 else f'{base}-{n}')
        cache[path] = result
    return cache[path]


def check(path):
    problems = []
    for number, line in lines_outside_code(path):
        for target in LINK.findall(line):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):  # http:, https:, mailto:
                continue
            file_part, _, anchor = target.partition('#')
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            where = f'{os.path.relpath(path, ROOT)}:{number}'
            if not os.path.exists(resolved):
                problems.append(f'{where}: {target}: no such file')
            elif anchor and resolved.endswith('.md') and anchor not in anchors(resolved):
                problems.append(f'{where}: {target}: no heading with anchor #{anchor}')
            elif resolved.startswith(ROOT) is False:
                problems.append(f'{where}: {target}: points outside the repository')
    return problems


DOC_MENTION = re.compile(r'\bdocs/[A-Za-z0-9_./-]*\.md(?:#[A-Za-z0-9_-]+)?')


def check_java():
    """docs/ pages named in Java sources (javadoc points to the page that holds the measurements)."""
    problems = []
    sources = [os.path.join(ROOT, module, 'src', 'main', 'java') for module in ('glimpse-core', 'glimpse-spark')]
    for folder, _, files in (walked for source in sources for walked in os.walk(source)):
        for name in sorted(files):
            if not name.endswith('.java'):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    for mention in DOC_MENTION.findall(line):
                        file_part, _, anchor = mention.partition('#')
                        resolved = os.path.join(ROOT, file_part)
                        where = f'{os.path.relpath(path, ROOT)}:{number}'
                        if not os.path.exists(resolved):
                            problems.append(f'{where}: {mention}: no such file')
                        elif anchor and anchor not in anchors(resolved):
                            problems.append(f'{where}: {mention}: no heading with anchor #{anchor}')
    return problems


def main(args):
    files = [os.path.abspath(a) for a in args] or pages()
    problems = [p for f in files for p in check(f)]
    if not args:
        problems += check_java()
    for p in problems:
        print(p)
    checked = len(files)
    print(f'{checked} pages checked, {len(problems)} broken links', file=sys.stderr)
    sys.stdout.flush()
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
