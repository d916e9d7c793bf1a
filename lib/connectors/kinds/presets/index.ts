import { baselinkerConnector } from './baselinker';
import { freshserviceConnector } from './freshservice';
import { jiraConnector } from './jira';
import { smartsheetConnector } from './smartsheet';
import { snipeItConnector } from './snipe-it';

/** The vendor presets, each a kind of its own on the http-json engine. */
export const presetConnectors = [jiraConnector, freshserviceConnector, snipeItConnector, smartsheetConnector, baselinkerConnector];
