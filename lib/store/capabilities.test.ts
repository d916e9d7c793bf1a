import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './capabilities';

const mongo = { version: '7.0.14', ok: 1 };

describe('capabilitiesOf', () => {
  it('reads FerretDB from buildInfo, with neither change streams nor transactions', () => {
    expect(capabilitiesOf({ version: '7.0.42', ferretdbVersion: 'v1.24.0' }, { isWritablePrimary: true, maxWireVersion: 21 })).toEqual({ ferretdb: true, changeStreams: false, transactions: false });
  });

  it('gives a MongoDB replica set change streams and transactions', () => {
    expect(capabilitiesOf(mongo, { isWritablePrimary: true, setName: 'rs0', maxWireVersion: 21 })).toEqual({ ferretdb: false, changeStreams: true, transactions: true });
  });

  it('gives a sharded cluster change streams, and transactions from MongoDB 4.2 on', () => {
    expect(capabilitiesOf(mongo, { msg: 'isdbgrid', maxWireVersion: 21 })).toEqual({ ferretdb: false, changeStreams: true, transactions: true });
    expect(capabilitiesOf(mongo, { msg: 'isdbgrid', maxWireVersion: 7 })).toEqual({ ferretdb: false, changeStreams: true, transactions: false });
  });

  it('gives a standalone MongoDB neither', () => {
    expect(capabilitiesOf(mongo, { isWritablePrimary: true, maxWireVersion: 21 })).toEqual({ ferretdb: false, changeStreams: false, transactions: false });
  });
});
