/**
 * For tests only (`@conecta/service-kit/message-coverage`; nothing in `src/`
 * imports it): the reason codes a service's source can throw, read from its
 * syntax tree, so a completeness test can ask its catalogue for each one. It
 * reads the TypeScript compiler's parser (the repository's own `typescript`,
 * a development dependency: tests only).
 *
 * A code is found where it is written:
 * - the code argument of `new ConflictError / InvalidInputError /
 *   ForbiddenError / UnauthenticatedError(...)` and of `fromProblems(...)`;
 *   when they are given none, their defaults (`INVALID_INPUT`, `FORBIDDEN`,
 *   `UNAUTHENTICATED`);
 * - `new NotFoundError('Entity', id)` → `ENTITY_NOT_FOUND`, also through a
 *   helper of the service that hands its parameter to `new NotFoundError`,
 *   and `orNotFound(found, 'Entity', id)`; `orInvalidReference`'s code;
 * - a literal passed to a parameter named `code`, `reason`, `refusal` or
 *   `…Code` of a function or class of the service (helpers, own error
 *   classes), and any code-shaped literal passed to `super(...)` in a class
 *   extending an error;
 * - a code-shaped value of a property named `code`, `reason`, `refusal` or
 *   `…Code` (zod issues' `params: { code }`, state machines' refusals), and
 *   every value of an object held by a `…CODES` constant;
 * - a template such as `` `STANDARD_NOT_${status}` `` in those places: the
 *   family `STANDARD_NOT_*`, which the catalogue must name as such.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ERROR_KINDS, GENERIC_MESSAGES, entryFor } from './errors';
import type { MessageCatalogue } from './errors';

/** One place a reason code is thrown from. */
export interface ThrownCode {
  /** The code, or a family such as `STANDARD_NOT_*`. */
  code: string;
  /** File (relative to the scanned folder's parent) and line. */
  file: string;
  line: number;
}

const CODE_SHAPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const FAMILY_HEAD = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_$/;
const CODE_NAME = /^(?:code|reason|refusal|[A-Za-z]+Code)$/;
const KINDS: ReadonlySet<string> = new Set(ERROR_KINDS);

/** Where each service-kit error class takes its code, and its default. */
const KNOWN: Readonly<Record<string, { at: number; fallback?: string }>> = {
  ConflictError: { at: 0 },
  InvalidInputError: { at: 2, fallback: 'INVALID_INPUT' },
  ForbiddenError: { at: 1, fallback: 'FORBIDDEN' },
  UnauthenticatedError: { at: 1, fallback: 'UNAUTHENTICATED' },
  fromProblems: { at: 1, fallback: 'INVALID_INPUT' },
  // command.ts's reference check: its code is the fourth argument.
  orInvalidReference: { at: 3 },
};

interface Callable {
  /** Parameter names, in order. */
  params: string[];
  /** Index of the parameter handed to `new NotFoundError` as its entity. */
  entityAt?: number;
}

/**
 * Every reason code thrown under `srcDir` (`__generated__` skipped), once per
 * place, in file order.
 */
export function thrownReasonCodes(srcDir: string): ThrownCode[] {
  const files = typeScriptFiles(srcDir).map((path) =>
    ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    ),
  );
  const callables = indexCallables(files);
  const found: ThrownCode[] = [];
  for (const file of files) {
    const where = (node: ts.Node) => ({
      file: relative(join(srcDir, '..'), file.fileName),
      line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
    });
    // A kind is a code only where service-kit's classes take a reason (the
    // defaults FORBIDDEN, UNAUTHENTICATED); elsewhere it is a category, e.g.
    // an own error class's `super('NOT_FOUND', reason, …)`.
    const add = (
      codes: string | readonly string[] | undefined,
      node: ts.Node,
      kindsAreCodes = false,
    ) => {
      for (const code of typeof codes === 'string' ? [codes] : (codes ?? [])) {
        if (kindsAreCodes || !KINDS.has(code)) {
          found.push({ code, ...where(node) });
        }
      }
    };
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        const name = calleeName(node.expression);
        const args = node.arguments ?? ts.factory.createNodeArray();
        const known = name ? KNOWN[name] : undefined;
        if (name === 'NotFoundError') {
          add(notFoundCode(args[0]), node);
        } else if (name === 'orNotFound') {
          // command.ts's `orNotFound(found, 'Entity', id)`.
          add(notFoundCode(args[1]), node);
        } else if (known) {
          const arg = args[known.at];
          add(arg ? codesOf(arg) : known.fallback, arg ?? node, true);
        } else if (name && callables.has(name)) {
          for (const callable of callables.get(name)!) {
            args.forEach((arg, i) => {
              const param = callable.params[i];
              if (param && CODE_NAME.test(param)) add(codesOf(arg), arg);
              if (i === callable.entityAt) add(notFoundCode(arg), arg);
            });
          }
        } else if (node.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const owner = ts.findAncestor(node, ts.isClassLike);
          if (owner && extendsAnError(owner)) {
            for (const arg of args) add(codesOf(arg), arg);
          }
        }
      } else if (ts.isPropertyAssignment(node)) {
        const key = propertyName(node.name);
        if (key && CODE_NAME.test(key)) add(codesOf(node.initializer), node);
      } else if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        /CODES$/.test(node.name.text) &&
        node.initializer
      ) {
        const object = unwrapExpression(node.initializer);
        if (ts.isObjectLiteralExpression(object)) {
          for (const property of object.properties) {
            if (ts.isPropertyAssignment(property)) {
              add(codesOf(property.initializer), property);
            }
          }
        }
      } else if (
        ts.isReturnStatement(node) &&
        node.expression &&
        ts.isTemplateExpression(node.expression)
      ) {
        const fn = ts.findAncestor(node, ts.isFunctionLike);
        const fnName =
          fn && 'name' in fn && fn.name && ts.isIdentifier(fn.name)
            ? fn.name.text
            : undefined;
        if (fnName && /Code$/.test(fnName)) add(codesOf(node.expression), node);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/**
 * The thrown codes with no Spanish message in `catalogue` (nor in
 * service-kit's generic ones), one entry per code with its first place.
 */
export function codesWithoutMessage(
  thrown: readonly ThrownCode[],
  catalogue: MessageCatalogue,
): ThrownCode[] {
  const missing = new Map<string, ThrownCode>();
  for (const place of thrown) {
    const family = place.code.endsWith('*');
    const covered = family
      ? catalogue[place.code] !== undefined
      : entryFor(catalogue, place.code) !== undefined ||
        entryFor(GENERIC_MESSAGES, place.code) !== undefined;
    if (!covered && !missing.has(place.code)) missing.set(place.code, place);
  }
  return [...missing.values()];
}

/** The failure message of a completeness test: each code, where it is thrown, and where to add it. */
export function describeMissing(
  missing: readonly ThrownCode[],
  messagesFile: string,
): string {
  return [
    `${missing.length} reason code(s) have no Spanish message. Add each to ${messagesFile}:`,
    ...missing.map(
      ({ code, file, line }) =>
        `  ${code}  (thrown at ${file}:${line}) → ${code.endsWith('*') ? `'${code}'` : code}: '…' or from('<English, with {values}>', '<español, con {values}>')`,
    ),
  ].join('\n');
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '__generated__' || entry.name === 'node_modules')
      return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** Functions, methods and classes (their constructors) of the service, by name. */
function indexCallables(
  files: readonly ts.SourceFile[],
): Map<string, Callable[]> {
  const index = new Map<string, Callable[]>();
  const record = (
    name: string,
    parameters: ts.NodeArray<ts.ParameterDeclaration>,
    body: ts.Node | undefined,
  ) => {
    const params = parameters.map((p) =>
      ts.isIdentifier(p.name) ? p.name.text : '',
    );
    const callable: Callable = { params };
    if (body) {
      const visit = (node: ts.Node): void => {
        // The entity argument: `new NotFoundError(entity, id)`, or
        // `orNotFound(found, entity, id)` (command.ts).
        const entityArg =
          ts.isNewExpression(node) &&
          calleeName(node.expression) === 'NotFoundError'
            ? node.arguments?.[0]
            : ts.isCallExpression(node) &&
                calleeName(node.expression) === 'orNotFound'
              ? node.arguments[1]
              : undefined;
        if (entityArg && ts.isIdentifier(entityArg)) {
          const at = params.indexOf(entityArg.text);
          if (at >= 0) callable.entityAt = at;
        }
        ts.forEachChild(node, visit);
      };
      visit(body);
    }
    index.set(name, [...(index.get(name) ?? []), callable]);
  };
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (
        (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) &&
        node.name &&
        ts.isIdentifier(node.name)
      ) {
        record(node.name.text, node.parameters, node.body);
      } else if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer &&
        (ts.isArrowFunction(node.initializer) ||
          ts.isFunctionExpression(node.initializer))
      ) {
        record(
          node.name.text,
          node.initializer.parameters,
          node.initializer.body,
        );
      } else if (ts.isClassDeclaration(node) && node.name) {
        const constructor = node.members.find(ts.isConstructorDeclaration);
        if (constructor) {
          record(node.name.text, constructor.parameters, constructor.body);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return index;
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name)
    ? name.text
    : undefined;
}

function unwrapExpression(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isParenthesizedExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The code-shaped literals (or families, from templates) the expression may be. */
function codesOf(expression: ts.Expression): string[] {
  const node = unwrapExpression(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return CODE_SHAPE.test(node.text) ? [node.text] : [];
  }
  if (ts.isTemplateExpression(node) && FAMILY_HEAD.test(node.head.text)) {
    return [`${node.head.text}*`];
  }
  if (ts.isConditionalExpression(node)) {
    return [...codesOf(node.whenTrue), ...codesOf(node.whenFalse)];
  }
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    return [...codesOf(node.left), ...codesOf(node.right)];
  }
  return [];
}

function notFoundCode(
  expression: ts.Expression | undefined,
): string | undefined {
  if (!expression) return undefined;
  const node = unwrapExpression(expression);
  if (!ts.isStringLiteral(node) || !/^[A-Z][A-Za-z0-9]*$/.test(node.text)) {
    return undefined;
  }
  const constant = node.text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();
  return `${constant}_NOT_FOUND`;
}

function extendsAnError(node: ts.ClassLikeDeclaration): boolean {
  return (node.heritageClauses ?? []).some((clause) =>
    clause.types.some((type) => /Error$/.test(type.expression.getText())),
  );
}
