// Start-up loads only what the run needs (issue 18): the modules that src/index.ts reaches by static
// imports (the bundle's entry chunk) hold no AWS SDK client, no adapter and no glob; each target
// type's adapter and SDK client are reached only through the `import()` of src/targets/index.ts, and
// a type's modules reach its own service's client and no other. Read from the TypeScript sources;
// `import type` and type-only names load nothing and are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../readme-iam.js';

const SRC = join(ROOT, 'src');

/** The module specifiers that `file` imports when it loads: static, not type-only. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          bindings &&
          ts.isNamedImports(bindings) &&
          bindings.elements.length > 0 &&
          bindings.elements.every((element) => element.isTypeOnly));
      if (!typeOnly) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      !statement.isTypeOnly
    ) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** The source file of a relative specifier (`./main.js` → `main.ts`). */
function resolveLocal(from: string, specifier: string): string {
  const file = join(dirname(from), specifier.replace(/\.js$/, '.ts'));
  if (!existsSync(file))
    throw new Error(`${relative(ROOT, from)} imports ${specifier}: no ${file}`);
  return file;
}

/** What loading `entries` loads by static imports: our files (relative to src/) and packages. */
function closure(...entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const name = relative(SRC, file);
    if (files.has(name)) return;
    files.add(name);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolveLocal(file, specifier));
      else packages.add(specifier);
    }
  };
  for (const entry of entries) visit(join(SRC, entry));
  return { files, packages };
}

const sdkClients = (packages: Set<string>) =>
  [...packages].filter((name) => name.startsWith('@aws-sdk/client-')).sort();

/**
 * The `import()` calls of src/targets/index.ts by target type: those in each `case` of the switch
 * on `config.targetType`, with those of the file's functions that the case calls; and the
 * quiescer's (`quiescerMaker`).
 */
function dynamicImportsByType(): Map<string, string[]> {
  const file = join(SRC, 'targets/index.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const functions = new Map<string, ts.FunctionDeclaration>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.set(statement.name.text, statement);
    }
  }
  const importsIn = (node: ts.Node, seen = new Set<string>()): string[] => {
    const found: string[] = [];
    const walk = (child: ts.Node) => {
      if (ts.isCallExpression(child)) {
        const [argument] = child.arguments;
        if (child.expression.kind === ts.SyntaxKind.ImportKeyword && argument) {
          found.push(resolveLocal(file, (argument as ts.StringLiteral).text));
        } else if (ts.isIdentifier(child.expression)) {
          const called = functions.get(child.expression.text);
          if (called && !seen.has(child.expression.text)) {
            seen.add(child.expression.text);
            found.push(...importsIn(called, seen));
          }
        }
      }
      ts.forEachChild(child, walk);
    };
    walk(node);
    return found;
  };
  const byType = new Map<string, string[]>();
  const visit = (node: ts.Node) => {
    if (ts.isCaseClause(node) && ts.isStringLiteral(node.expression)) {
      byType.set(node.expression.text, importsIn(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(functions.get('adapterMaker')!);
  byType.set('quiescer', importsIn(functions.get('quiescerMaker')!));
  return byType;
}

describe('the start-up of the action (the entry chunk)', () => {
  const entry = closure('index.ts');

  it('loads no AWS SDK client, no glob and no pacing', () => {
    expect(sdkClients(entry.packages)).toEqual([]);
    expect([...entry.packages].filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
    expect(entry.packages).not.toContain('@actions/glob');
    expect(entry.files).not.toContain('pacing.ts');
  });

  it('loads no adapter, no client module and not the table that loads them', () => {
    const adapters = [...entry.files].filter(
      (name) =>
        /^aws(-ec2|-rds|-s3|-ssm)?\.ts$/.test(name) ||
        name === 'targets/index.ts' ||
        /^targets\/(ebs-volume|ec2-image|ec2-instance|rds-instance|rds-cluster|files|file-scan|s3-store|ssm-quiesce)\.ts$/.test(
          name,
        ),
    );
    expect(adapters).toEqual([]);
    expect(entry.files).toContain('inputs.ts');
  });

  it('is told from the rest by the static imports: the client modules do reach the SDK', () => {
    // The check above can fail: a file that imports a client statically shows it.
    expect(sdkClients(closure('aws-ec2.ts').packages)).toEqual(['@aws-sdk/client-ec2']);
    expect(sdkClients(closure('aws.ts').packages)).toEqual([
      '@aws-sdk/client-ec2',
      '@aws-sdk/client-rds',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-ssm',
    ]);
  });
});

describe('each target type, loaded on demand', () => {
  const byType = dynamicImportsByType();

  it.each([
    ['ebs-volume', ['@aws-sdk/client-ec2']],
    ['ec2-image', ['@aws-sdk/client-ec2']],
    ['ec2-instance', ['@aws-sdk/client-ec2']],
    ['rds-instance', ['@aws-sdk/client-rds']],
    ['rds-cluster', ['@aws-sdk/client-rds']],
    ['files', ['@aws-sdk/client-s3']],
    ['quiescer', ['@aws-sdk/client-ssm']],
  ])('%s loads %j and no other SDK client', (type, clients) => {
    const imports = byType.get(type) ?? [];
    expect(imports.length).toBeGreaterThan(0);
    const loaded = closure(...imports.map((file) => relative(SRC, file)));
    expect(sdkClients(loaded.packages)).toEqual(clients);
  });

  it('has a case for every target type', () => {
    expect([...byType.keys()].sort()).toEqual([
      'ebs-volume',
      'ec2-image',
      'ec2-instance',
      'files',
      'quiescer',
      'rds-cluster',
      'rds-instance',
    ]);
  });
});
