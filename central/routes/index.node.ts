import type { CentralRoute } from '../context.node.ts';
import { route as adminConfig } from './admin-config.node.ts';
import { route as appointments } from './appointments.node.ts';
import { route as attachments } from './attachments.node.ts';
import { route as batch } from './batch.node.ts';
import { route as catalog } from './catalog.node.ts';
import { route as counter } from './counter.node.ts';
import { route as display } from './display.node.ts';
import { route as dossiers } from './dossiers.node.ts';
import { route as enrol } from './enrol.node.ts';
import { route as fleet } from './fleet.node.ts';
import { route as health } from './health.node.ts';
import { route as offices } from './offices.node.ts';
import { route as officeApp } from './office-app.node.ts';
import { route as phone } from './phone.node.ts';
import { route as payments } from './payments.node.ts';
import { route as ratings } from './ratings.node.ts';
import { route as reports } from './reports.node.ts';
import { route as tickets } from './tickets.node.ts';

/**
 * Every domain's routes, registered in this order. Add yours here: one import, one entry
 * (`tickets`, `dossiers`, `payments`, `ratings`, `fleet`). Each also documents its paths in
 * central/openapi.yaml (a test checks every route has one).
 */
export const routes: readonly CentralRoute[] = [
  health,
  enrol,
  offices,
  catalog,
  batch,
  tickets,
  display,
  phone,
  appointments,
  counter,
  officeApp,
  fleet,
  dossiers,
  payments,
  ratings,
  reports,
  adminConfig,
  attachments,
];
