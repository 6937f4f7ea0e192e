import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/definitions/contract-model.js';
import { contract } from '../../simulator/contract.js';
import { issuesToErrors, validate } from '../../simulator/index.js';
import { parseQuery } from '../../simulator/query.js';

const schema: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'status'],
  properties: {
    id: { type: 'integer', readOnly: true },
    name: { type: 'string', maxLength: 5 },
    status: { type: 'string', enum: ['on', 'off', null] },
    at: { type: 'string', format: 'date-time', nullable: true },
    state: { anyOf: [{ type: 'string', enum: ['TX', 'WA'] }, { type: 'string', enum: ['NSW', 'WA'] }] },
    tags: { type: 'array', items: { type: 'integer' } },
    nested: { type: 'object', additionalProperties: false, properties: { ok: { type: 'boolean' } } },
  },
};

describe('validate', () => {
  it('accepts a valid value, including nulls where nullable and overlapping enum alternatives', () => {
    expect(validate(schema, { id: 1, name: 'abc', status: null, at: null, state: 'WA', tags: [1, 2], nested: { ok: true } })).toEqual([]);
    expect(validate(schema, { id: 1, name: 'abc', status: 'on', at: '2026-01-02T03:04:05.678Z' })).toEqual([]);
  });

  it('reports each problem at its dotted path', () => {
    const issues = validate(schema, { name: 'toolong', status: 'maybe', at: '2026-01-02', state: 'XX', tags: [1, 'b'], nested: { ok: 1, extra: 2 } });
    expect(issuesToErrors(issues)).toEqual({
      id: ['The id field is required.'],
      name: ['The name must not be greater than 5 characters.'],
      status: ['The selected status is invalid.'],
      at: ['The at must be a valid date.'],
      state: ['The selected state is invalid.'],
      'tags.1': ['The tags.1 must be an integer.'],
      'nested.ok': ['The nested.ok field must be true or false.'],
      'nested.extra': ['The nested.extra field is prohibited.'],
    });
    expect(validate({ type: 'integer' }, 1.5)).toHaveLength(1);
    expect(validate({ type: 'number' }, 2)).toEqual([]);
    expect(validate({ type: 'string' }, null)).toHaveLength(1);
  });

  it('skips readOnly fields of request bodies and reads dates leniently there', () => {
    expect(validate(schema, { name: 'a', status: 'on', id: 'x', at: '2026-01-02 10:00' }, { mode: 'request' })).toEqual([]);
  });

  it('catches a broken record of the contract', () => {
    const record = contract.resources.Evse!.record;
    const issues = validate(record, { id: 'one', chargePointId: 1, physicalReference: 'A', currentType: 'xc', networkId: 1, status: 'enabled', hardwareStatus: null, roamingOperatorId: 1, createdAt: 'yesterday' });
    expect(issues.map((i) => i.path).sort()).toEqual(['createdAt', 'currentType', 'id', 'lastUpdatedAt', 'networkId']);
  });
});

describe('parseQuery', () => {
  it('reads PHP-style nested and list parameters', () => {
    expect(parseQuery('filter[a]=1&filter[ids][]=2&filter[ids][]=3&include[0]=x&include[1]=y&filter[r][s][]=4&cursor&plain=%20v')).toEqual({
      filter: { a: '1', ids: ['2', '3'], r: { s: ['4'] } },
      include: ['x', 'y'],
      cursor: '',
      plain: ' v',
    });
    expect(parseQuery('')).toEqual({});
    expect(parseQuery('a=1&a=2')).toEqual({ a: '2' });
  });
});
