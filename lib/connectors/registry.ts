import type { ConnectorKind } from './kind';
import { demoConnector } from './kinds/demo';

/** Every connector kind Syncdeck can run, by name. */
const kinds = new Map<string, ConnectorKind<unknown>>([[demoConnector.kind, demoConnector as ConnectorKind<unknown>]]);

export const connectorKindNames = () => [...kinds.keys()];

export function getConnectorKind(kind: string): ConnectorKind<unknown> | undefined {
  return kinds.get(kind);
}
