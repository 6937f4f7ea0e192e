/**
 * A validator for the JSON-schema subset of `src/definitions/contract-model.ts`. The server validates
 * request bodies with it (Laravel-style 422 messages) and the tests validate every record the
 * simulator returns against the contract's record schemas with it.
 */
import type { JsonSchema } from '../src/definitions/contract-model.js';

export interface ValidationIssue {
  /** Dotted path as Laravel reports it (`network.port`, `connectors.0.type`); '' for the root. */
  path: string;
  message: string;
}

export interface ValidateOptions {
  /**
   * 'request': readOnly properties are neither required nor checked (the server drops them) and
   * date-times may be anything Date.parse accepts. 'response' (default): strict.
   */
  mode?: 'request' | 'response';
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTEGER_STRING = /^-?\d+$/;

export function validate(schema: JsonSchema, value: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(schema, value, '', options.mode ?? 'response', issues);
  return issues;
}

/** Groups issues as the `errors` member of a 422 body. */
export function issuesToErrors(issues: ValidationIssue[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const { path, message } of issues) (errors[path] ??= []).push(message);
  return errors;
}

export function isNullable(schema: JsonSchema): boolean {
  if (schema.nullable || schema.enum?.includes(null)) return true;
  const branches = schema.anyOf ?? schema.oneOf;
  return Boolean(branches?.some(isNullable));
}

function label(path: string): string {
  return path === '' ? 'body' : path;
}

function typeOk(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  switch (type) {
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
  }
}

const TYPE_MESSAGES: Record<NonNullable<JsonSchema['type']>, string> = {
  object: 'must be an object',
  array: 'must be an array',
  string: 'must be a string',
  integer: 'must be an integer',
  number: 'must be a number',
  boolean: 'field must be true or false',
};

function check(schema: JsonSchema, value: unknown, path: string, mode: 'request' | 'response', out: ValidationIssue[]): void {
  if (value === null) {
    if (!isNullable(schema) && (schema.type || schema.enum || schema.anyOf || schema.oneOf)) {
      out.push({ path, message: `The ${label(path)} field must not be null.` });
    }
    return;
  }
  // `oneOf` is checked like `anyOf`: in this contract it lists overlapping string enums
  // (a state code valid in two countries) where strict oneOf semantics would reject valid input.
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length) {
    let best: ValidationIssue[] | undefined;
    for (const branch of branches) {
      const sub: ValidationIssue[] = [];
      check(branch, value, path, mode, sub);
      if (sub.length === 0) {
        best = undefined;
        break;
      }
      if (!best || sub.length < best.length) best = sub;
    }
    if (best) {
      // Enum-only alternatives read better as one "selected ... is invalid" message.
      const allEnums = branches.every((b) => b.enum);
      out.push(...(allEnums ? [{ path, message: `The selected ${label(path)} is invalid.` }] : best));
      return;
    }
    if (!schema.type) return;
  }
  if (schema.type && !typeOk(schema.type, value)) {
    // Integral numbers are valid `number`s; that case is covered by typeOk.
    out.push({ path, message: `The ${label(path)} ${TYPE_MESSAGES[schema.type]}.` });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    out.push({ path, message: `The selected ${label(path)} is invalid.` });
    return;
  }
  if (typeof value === 'string') checkString(schema, value, path, mode, out);
  else if (typeof value === 'number') checkNumber(schema, value, path, out);
  else if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schema.items as JsonSchema, item, join(path, String(i)), mode, out));
  } else if (typeof value === 'object') checkObject(schema, value as Record<string, unknown>, path, mode, out);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function checkString(schema: JsonSchema, value: string, path: string, mode: 'request' | 'response', out: ValidationIssue[]): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    out.push({ path, message: `The ${label(path)} must be at least ${schema.minLength} characters.` });
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    out.push({ path, message: `The ${label(path)} must not be greater than ${schema.maxLength} characters.` });
  }
  switch (schema.format) {
    case 'date-time':
    case 'datetime': {
      const ok = mode === 'request' ? !Number.isNaN(Date.parse(value)) : ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
      if (!ok) out.push({ path, message: `The ${label(path)} must be a valid date.` });
      break;
    }
    case 'date':
      if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) out.push({ path, message: `The ${label(path)} must be a valid date.` });
      break;
    case 'time':
      if (!TIME.test(value)) out.push({ path, message: `The ${label(path)} must match the format H:i.` });
      break;
    case 'email':
      if (!EMAIL.test(value)) out.push({ path, message: `The ${label(path)} must be a valid email address.` });
      break;
    case 'integer':
      if (!INTEGER_STRING.test(value)) out.push({ path, message: `The ${label(path)} must be an integer.` });
      break;
    case 'url':
    case 'uri':
      if (!URL.canParse(value)) out.push({ path, message: `The ${label(path)} must be a valid URL.` });
      break;
    default:
      break;
  }
}

function checkNumber(schema: JsonSchema, value: number, path: string, out: ValidationIssue[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    out.push({ path, message: `The ${label(path)} must be at least ${schema.minimum}.` });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    out.push({ path, message: `The ${label(path)} must not be greater than ${schema.maximum}.` });
  }
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string, mode: 'request' | 'response', out: ValidationIssue[]): void {
  const props = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    const prop = props[key];
    if (mode === 'request' && prop?.readOnly) continue;
    // Laravel's `required`: present and not empty (an empty string or an empty list is empty).
    const empty = mode === 'request' && (value[key] === '' || (Array.isArray(value[key]) && (value[key] as unknown[]).length === 0));
    if (value[key] === undefined || empty) {
      out.push({ path: join(path, key), message: `The ${join(path, key)} field is required.` });
    }
  }
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const prop = props[key];
    if (prop) {
      if (mode === 'request' && prop.readOnly) continue;
      check(prop, v, join(path, key), mode, out);
    } else if (schema.additionalProperties === false) {
      out.push({ path: join(path, key), message: `The ${join(path, key)} field is prohibited.` });
    } else if (typeof schema.additionalProperties === 'object') {
      check(schema.additionalProperties, v, join(path, key), mode, out);
    }
  }
}
