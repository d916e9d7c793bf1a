import type { ConnectorKind } from './kind';
import { commandConnector } from './kinds/command';
import { demoConnector } from './kinds/demo';
import { httpJsonConnector } from './kinds/http-json';
import { moduleConnector } from './kinds/module';
import { presetConnectors } from './kinds/presets';

/** Every connector kind Syncdeck can run, by name. */
const kinds = new Map<string, ConnectorKind<unknown>>(
  [demoConnector, httpJsonConnector, commandConnector, moduleConnector, ...presetConnectors].map((kind) => [kind.kind, kind as unknown as ConnectorKind<unknown>]),
);

export const connectorKindNames = () => [...kinds.keys()];

export function getConnectorKind(kind: string): ConnectorKind<unknown> | undefined {
  return kinds.get(kind);
}
